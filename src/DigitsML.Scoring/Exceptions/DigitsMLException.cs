// DigitsMLException.cs — the base of every exception DigitsML throws for a failure it detects.
namespace DigitsML;

/// <summary>Base type of the exceptions DigitsML raises for bad input files, networks, devices and engine errors.
/// Argument mistakes in calls raise the usual <see cref="ArgumentException"/> family instead.</summary>
public class DigitsMLException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public DigitsMLException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DigitsMLException(string message, Exception inner) : base(message, inner) { }
}
