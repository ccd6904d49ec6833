// Failure.cs — turns an exception into one clear line on stderr and an exit code.
using DigitsML;

namespace DigitsML.Cli;

internal static class Failure
{
    /// <summary>Exit codes: 1 bad input or engine error, 2 wrong usage, 130 cancelled (Ctrl+C).</summary>
    public static int Report(Exception e, bool verbose)
    {
        (string what, int code) = e switch
        {
            OperationCanceledException => ("cancelled", 130),
            FileNotFoundException f => ($"file not found: {f.FileName ?? f.Message}", 1),
            DirectoryNotFoundException => (e.Message, 1),
            DigitsMLException => (e.Message, 1),
            ArgumentException => (e.Message, 2),
            UnauthorizedAccessException or IOException => (e.Message, 1),
            _ => ($"{e.GetType().Name}: {e.Message}", 1),
        };
        Console.Error.WriteLine($"digits: error: {what}");
        if (verbose)
            Console.Error.WriteLine(e);
        return code;
    }
}
