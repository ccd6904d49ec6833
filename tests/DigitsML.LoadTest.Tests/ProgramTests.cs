// ProgramTests.cs — the built tool in its own process, as build/loadtest.sh runs it: its result lines, and the exit
// status that makes the script fail when any request failed or the answer is not a digit.
using System.Diagnostics;
using System.Text.RegularExpressions;
using DigitsML.Testing;

namespace DigitsML.LoadTest.Tests;

[TestFixture]
public sealed class ProgramTests
{
    private static readonly Regex ResultLine = new(
        @"^clients=(\d+) requests=(\d+) seconds=\d+\.\d{3} rps=\d+\.\d p50_ms=\d+\.\d{3} p99_ms=\d+\.\d{3} errors=(\d+) connections=(\d+) client_cpu_us_per_request=\d+\.\d$");

    private static (int Status, string[] Out, string Err) Run(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "DigitsML.LoadTest.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        Task<string> err = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail("the tool did not exit within 60 s");
        }
        return (process.ExitCode, output.Split('\n', StringSplitOptions.RemoveEmptyEntries), err.Result);
    }

    private static string Png(TemporaryDirectory folder)
    {
        string path = Path.Combine(folder.Path, "d.png");
        File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        return path;
    }

    [Test]
    public async Task Main_AllAnswered_OneLinePerClientCountAndExitZero()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var folder = new TemporaryDirectory();
        var (status, lines, err) = Run("--url", server.Url.ToString(), "--png", Png(folder), "--clients", "1,4",
            "--duration", "5", "--max-requests", "200", "--warmup", "0.2", "--expect-digit", "7");
        Assert.That(status, Is.EqualTo(0), err);
        Assert.That(lines[0], Does.StartWith("answer: digit=7 ").And.EndWith("""body={"digit":7,"probability":0.99}"""));
        var results = lines.Skip(1).Select(l => ResultLine.Match(l)).ToArray();
        Assert.That(results.Select(m => m.Success), Is.EqualTo(new[] { true, true }), string.Join('\n', lines));
        Assert.That(results.Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)),
            Is.EqualTo(new[] { ("1", "200", "0"), ("4", "200", "0") }));
        Assert.That(int.Parse(results[1].Groups[4].Value), Is.InRange(1, 4));
    }

    [Test]
    public async Task Main_SomeRequestsFail_SaysSoAndExitsOne()
    {
        await using var server = await LoopbackServer.StartAsync(fail: n => n > 1 && n % 5 == 0);  // the answer check is request 1
        using var folder = new TemporaryDirectory();
        var (status, lines, err) = Run("--url", server.Url.ToString(), "--png", Png(folder), "--clients", "1",
            "--duration", "5", "--max-requests", "100", "--warmup", "0");
        Assert.That(status, Is.EqualTo(1));
        Assert.That(lines[1], Does.Match(ResultLine).And.Contain(" requests=100 ").And.Contain(" errors=20 "));
        Assert.That(err, Does.Contain("errors at clients=1: 20 of 100 requests failed: 20 × HTTP 500"));
    }

    [Test]
    public async Task Main_AnswerIsNotADigit_ExitsOneBeforeTheLoad()
    {
        await using var server = await LoopbackServer.StartAsync(answer: """{"digit":null}""");
        using var folder = new TemporaryDirectory();
        var (status, lines, err) = Run("--url", server.Url.ToString(), "--png", Png(folder), "--clients", "1", "--duration", "5");
        Assert.That(status, Is.EqualTo(1));
        Assert.That(lines, Is.Empty);
        Assert.That(err.Trim(), Does.StartWith("DigitsML.LoadTest: answer check failed: ").And.Contain("""{"digit":null}"""));
        Assert.That(server.Received, Is.EqualTo(1));
    }

    [Test]
    public void Main_NobodyListening_ExitsOneNamingTheUrl()
    {
        using var folder = new TemporaryDirectory();
        Uri closed = LoopbackServer.ClosedUrl();
        var (status, _, err) = Run("--url", closed.ToString(), "--png", Png(folder));
        Assert.That(status, Is.EqualTo(1));
        Assert.That(err, Does.Contain($"answer check failed: cannot reach {closed}"));
    }

    [Test]
    public void Main_WrongUsage_ExitsTwo()
    {
        var (status, _, err) = Run("--url", "http://127.0.0.1:1/x", "--png", "p", "--clients", "0");
        Assert.That(status, Is.EqualTo(2));
        Assert.That(err.Trim(), Is.EqualTo("DigitsML.LoadTest: --clients needs comma-separated whole numbers from 1 to 10000, not '0' (see --help)"));
    }

    [Test]
    public void Main_EmptyPng_ExitsOneNamingTheFile()
    {
        using var folder = new TemporaryDirectory();
        string empty = Path.Combine(folder.Path, "empty.png");
        File.WriteAllBytes(empty, []);
        var (status, _, err) = Run("--url", "http://127.0.0.1:1/x", "--png", empty);
        Assert.That((status, err.Trim()), Is.EqualTo((1, $"DigitsML.LoadTest: --png {empty} is empty")));
    }
}
