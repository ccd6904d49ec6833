// AppProcess.cs — samples/WebApp run as users run it: `dotnet WebApp.dll` from its own output folder, in a process of
// its own, on a free loopback port (Kestrel, real HTTP).
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace DigitsML.WebApp.Tests;

internal sealed partial class AppProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new(), errors = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[Build.WebAppDll, "--urls", "http://127.0.0.1:0", .. arguments])
            start.ArgumentList.Add(a);
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            if (Listening().Match(e.Data) is { Success: true } m)
                listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (errors)
                    errors.AppendLine(e.Data);
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the app exited before it listened"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();

    public string Output { get { lock (output) return output.ToString(); } }

    public string Errors { get { lock (errors) return errors.ToString(); } }

    /// <summary>Runs the app until it exits by itself (a start-up error), within <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(TimeSpan timeout, params string[] arguments)
    {
        using var app = new AppProcess(arguments);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await app.process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the app did not exit within {timeout.TotalSeconds} s: {app.Output}");
        }
        app.process.WaitForExit(); // the output's last lines
        return (app.process.ExitCode, app.Output, app.Errors);
    }

    /// <summary>Starts the app and waits until it listens and /health says the model is loaded.</summary>
    public static async Task<(AppProcess App, Uri Address)> StartAsync(params string[] arguments)
    {
        var app = new AppProcess(arguments);
        try
        {
            var address = await app.listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
            using var client = new HttpClient { BaseAddress = address };
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while ((await client.GetAsync("/health")).StatusCode != HttpStatusCode.OK)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException("the model did not load within a minute");
                await Task.Delay(50);
            }
            return (app, address);
        }
        catch (Exception e)
        {
            app.Dispose();
            Assert.Fail($"the app did not start ({e.Message}): {app.Output} {app.Errors}");
            throw;
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process.Dispose();
    }
}
