// LoggingEventArgs.cs — one message raised through MLContext.Log.
namespace DigitsML;

/// <summary>A log message: who raised it, how important it is, and the text.</summary>
public sealed class LoggingEventArgs : EventArgs
{
    /// <summary>Creates a message.</summary>
    public LoggingEventArgs(string source, ChannelMessageKind kind, string message)
    {
        Source = source;
        Kind = kind;
        RawMessage = message;
    }

    /// <summary>The component that raised it, e.g. "CnnTrainer".</summary>
    public string Source { get; }

    /// <summary>How important it is.</summary>
    public ChannelMessageKind Kind { get; }

    /// <summary>The text alone.</summary>
    public string RawMessage { get; }

    /// <summary>"[Source] Kind: text", as ML.NET formats its log lines.</summary>
    public string Message => $"[Source={Source}, Kind={Kind}] {RawMessage}";

    /// <inheritdoc />
    public override string ToString() => Message;
}
