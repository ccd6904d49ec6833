// DataFormatException.cs — a data or model file that is not what it claims to be.
namespace DigitsML;

/// <summary>A file could not be read as the format expected (IDX, model file, image). The message names the
/// file and what was expected; <see cref="FilePath"/> holds the path when there is one.</summary>
public sealed class DataFormatException : DigitsMLException
{
    /// <summary>Creates the exception for a file.</summary>
    /// <param name="filePath">The file at fault, or null when the data came from a stream.</param>
    /// <param name="message">What is wrong with it; the file's path is put in front.</param>
    public DataFormatException(string? filePath, string message)
        : base(filePath is null ? message : $"{filePath}: {message}") => FilePath = filePath;

    /// <summary>Creates the exception for a file, keeping the exception that revealed the fault (a reader's own).</summary>
    /// <param name="filePath">The file at fault, or null when the data came from a stream.</param>
    /// <param name="message">What is wrong with it; the file's path is put in front.</param>
    /// <param name="inner">The exception the fault was found by.</param>
    public DataFormatException(string? filePath, string message, Exception inner)
        : base(filePath is null ? message : $"{filePath}: {message}", inner) => FilePath = filePath;

    /// <summary>The file at fault, or null when the data came from a stream.</summary>
    public string? FilePath { get; }
}
