// DigitsTool.cs — runs the built `digits` tool in a child process and captures what it prints.
using System.Diagnostics;

namespace DigitsML.Cli.Tests;

internal static class DigitsTool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs `dotnet digits.dll args…` from the test output folder, with a generous time limit.</summary>
    public static Result Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Run"/>, with <paramref name="environment"/> added to the child's environment.</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "digits.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} was not built next to the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.ArgumentList.Add(dll);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"digits {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }
}
