// Failure.cs — turns an exception or a usage mistake into one clear line on stderr and an exit code.
using System.CommandLine;
using DigitsML;

namespace DigitsML.Cli;

internal static class Failure
{
    /// <summary>Exit codes: 1 bad input or engine error, 2 wrong usage, 130 cancelled (Ctrl+C).</summary>
    public const int BadInput = 1, WrongUsage = 2, Cancelled = 130;

    /// <summary>Prints "digits: error: ..." for <paramref name="e"/> (and its stack trace when verbose); returns the exit code.</summary>
    public static int Report(Exception e, bool verbose)
    {
        (string what, int code) = e switch
        {
            OperationCanceledException => ("cancelled", Cancelled),
            FileNotFoundException f => ($"file not found: {f.FileName ?? f.Message}", BadInput),
            DirectoryNotFoundException => (e.Message, BadInput),
            DigitsMLException => (e.Message, BadInput),
            ArgumentException a => (WithoutParameter(a), WrongUsage),
            InvalidOperationException => (e.Message, BadInput),
            UnauthorizedAccessException or IOException => (e.Message, BadInput),
            _ => ($"{e.GetType().Name}: {e.Message}", BadInput),
        };
        Line(what);
        if (verbose)
            Console.Error.WriteLine(e);
        return code;
    }

    /// <summary>Prints the parse errors of a mistyped command line as one line, pointing at the command's --help.</summary>
    public static int ReportUsage(ParseResult parsed)
    {
        string command = parsed.CommandResult.Command is RootCommand ? "digits" : $"digits {parsed.CommandResult.Command.Name}";
        var messages = parsed.Errors.Select(e => e.Message.Replace('\t', ' ').TrimEnd('.'));
        Line($"{string.Join("; ", messages.Distinct())} (see {command} --help)");
        return WrongUsage;
    }

    /// <summary>The message without the " (Parameter 'name')" .NET appends, which names a C# parameter, not a flag.</summary>
    private static string WithoutParameter(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    /// <summary>Prints one error line on stderr, in the tool's format (a message of several lines is joined into one).</summary>
    public static void Line(string message) =>
        Console.Error.WriteLine($"digits: error: {string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries))}");
}
