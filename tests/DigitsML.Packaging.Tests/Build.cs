// Build.cs — what the tests know of the build that made them (from this project's file) and a runner for dotnet.
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace DigitsML.Packaging.Tests;

internal static class Build
{
    private static string Metadata(string key) =>
        typeof(Build).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"no {key} in the test assembly's metadata");

    /// <summary>The repository's root folder.</summary>
    public static string RepoRoot => Metadata("RepoRoot");

    /// <summary>samples/ScoringOnly's assembly, built with this project.</summary>
    public static string ScoringOnlyDll => Metadata("ScoringOnlyDll");

    /// <summary>The libtorch package the DigitsML package depends on (DigitsMLTorchBackend).</summary>
    public static string TorchBackend => Metadata("TorchBackend");

    /// <summary>Debug or Release, as this assembly was built.</summary>
    public static string Configuration => typeof(Build).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    /// <summary>The photos fixtures/make_images.py of the scoring tests made: one sub-folder per digit.</summary>
    public static string Photos => Path.Combine(RepoRoot, "tests", "DigitsML.Scoring.Tests", "fixtures", "digits");

    /// <summary>What a finished process printed.</summary>
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F0} s\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> and waits for it, failing the test past
    /// <paramref name="timeout"/>.</summary>
    public static Result DotNet(IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Run("dotnet", arguments, workingDirectory, timeout, environment);

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> and waits for it, failing the test past
    /// <paramref name="timeout"/>.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's own MSBuild settings must not leak into a build the test starts.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} ran past {timeout.TotalSeconds:F0} s\n{output}\n{error}");
        }
        process.WaitForExit(); // drains the output events
        return new Result(process.ExitCode, output.ToString(), error.ToString(), clock.Elapsed);
    }
}
