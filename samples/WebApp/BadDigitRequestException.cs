// BadDigitRequestException.cs — a request POST /api/digits cannot answer: the status code and the one-line reason.
namespace DigitsML.WebApp;

/// <summary>Thrown by <see cref="DigitRequest"/> and <see cref="DigitUpload"/>; the endpoint answers
/// <see cref="StatusCode"/> with a problem-details body whose <c>detail</c> is the message.</summary>
public sealed class BadDigitRequestException(int statusCode, string message, int? retryAfterSeconds = null) : Exception(message)
{
    /// <summary>400 for bad input, 415 for a content type the endpoint does not read, 503 when the service is busy.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>The Retry-After of a 503 (the service is busy), or null for an answer without one.</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
