// ChannelMessageKind.cs — how important a log message is.
namespace DigitsML;

/// <summary>The kind of a message raised through <see cref="MLContext.Log"/>.</summary>
public enum ChannelMessageKind
{
    /// <summary>Detail for diagnosis.</summary>
    Trace = 0,

    /// <summary>Progress and facts about a run, such as each training epoch's figures.</summary>
    Info = 1,

    /// <summary>Something the user should know, such as falling back to the CPU.</summary>
    Warning = 2,

    /// <summary>A failure.</summary>
    Error = 3,
}
