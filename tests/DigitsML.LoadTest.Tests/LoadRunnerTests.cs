// LoadRunnerTests.cs — the client against a real Kestrel server on loopback: the count and time bounds, errors by
// status and by exception, timeouts, the warm-up kept out of the figures, and one connection per client reused.
namespace DigitsML.LoadTest.Tests;

[TestFixture]
public sealed class LoadRunnerTests
{
    private static readonly byte[] Body = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5, 6, 7, 8, 9];

    private static LoadPlan Plan(Uri url, double seconds = 30, long max = 1_000_000, double warmup = 0, double timeout = 10) =>
        new(url, Body, "image/png", TimeSpan.FromSeconds(seconds), max, TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(timeout));

    [Test]
    public async Task RunAsync_MaxRequests_StopsAtTheCountAndServerSawExactlyThose()
    {
        await using var server = await LoopbackServer.StartAsync();
        LoadResult result = await LoadRunner.RunAsync(Plan(server.Url, seconds: 30, max: 300), clients: 4);
        Assert.Multiple(() =>
        {
            Assert.That(result.Requests, Is.EqualTo(300));
            Assert.That(server.Received, Is.EqualTo(300));
            Assert.That(result.LatenciesMs, Has.Length.EqualTo(300));
            Assert.That(result.LatenciesMs, Is.Ordered);
            Assert.That(result.Errors, Is.Zero);
            Assert.That(result.Passed, Is.True);
            Assert.That(result.Seconds, Is.LessThan(10), "the count, not the 30 s, ended the run");
            Assert.That(server.Bodies.Keys, Is.EqualTo(new[] { ((string?)"image/png", (long)Body.Length) }), "every request posted the body as image/png");
        });
    }

    [Test]
    public async Task RunAsync_Duration_StopsStartingRequestsAtTheDeadline()
    {
        var delay = TimeSpan.FromMilliseconds(20);
        await using var server = await LoopbackServer.StartAsync(delay);
        LoadResult result = await LoadRunner.RunAsync(Plan(server.Url, seconds: 0.5), clients: 2);
        // Each request takes at least 20 ms, so 2 loops fit at most 2 × (0.5 / 0.02 + 1) = 52 requests: those started
        // in 0.5 s and the ones in flight at the deadline. The upper time bound leaves room for a busy machine; without
        // the deadline a million 20 ms requests would take hours.
        Assert.Multiple(() =>
        {
            Assert.That(result.Seconds, Is.InRange(0.5, 2.0));
            Assert.That(result.Requests, Is.InRange(2, 52));
            Assert.That(server.Received, Is.EqualTo(result.Requests));
            Assert.That(result.LatenciesMs[0], Is.GreaterThanOrEqualTo(delay.TotalMilliseconds), "the fastest request still waited for the server");
            Assert.That(result.P50Ms, Is.GreaterThanOrEqualTo(delay.TotalMilliseconds));
            Assert.That(result.RequestsPerSecond, Is.EqualTo(result.Requests / result.Seconds).Within(1e-9));
        });
    }

    [Test]
    public async Task RunAsync_ServerAnswers500ToEveryFourth_CountsThemAsErrorsByKind()
    {
        await using var server = await LoopbackServer.StartAsync(fail: n => n % 4 == 0);
        LoadResult result = await LoadRunner.RunAsync(Plan(server.Url, max: 100), clients: 1);
        Assert.Multiple(() =>
        {
            Assert.That(result.Requests, Is.EqualTo(100));
            Assert.That(result.Errors, Is.EqualTo(25));
            Assert.That(result.ErrorKinds, Is.EqualTo(new Dictionary<string, long> { ["HTTP 500"] = 25 }));
            Assert.That(result.Passed, Is.False);
            Assert.That(result.ErrorSummary(), Is.EqualTo("clients=1: 25 of 100 requests failed: 25 × HTTP 500"));
            Assert.That(result.ToLine(), Does.Contain(" errors=25 "));
        });
    }

    [Test]
    public async Task RunAsync_ManyClientsSomeFailing_ErrorsEqualWhatTheServerFailed()
    {
        await using var server = await LoopbackServer.StartAsync(fail: n => n % 10 == 3);
        LoadResult result = await LoadRunner.RunAsync(Plan(server.Url, max: 1000), clients: 16);
        Assert.Multiple(() =>
        {
            Assert.That(result.Requests, Is.EqualTo(1000));
            Assert.That(result.Errors, Is.EqualTo(100), "requests 3, 13, ..., 993 of the server's numbering");
            Assert.That(result.Connections, Is.InRange(1, 16));
        });
    }

    [Test]
    public async Task RunAsync_NobodyListening_EveryRequestAnErrorNamingTheCause()
    {
        LoadResult result = await LoadRunner.RunAsync(Plan(LoopbackServer.ClosedUrl(), seconds: 0.3), clients: 2);
        Assert.Multiple(() =>
        {
            Assert.That(result.Requests, Is.GreaterThan(0));
            Assert.That(result.Errors, Is.EqualTo(result.Requests));
            Assert.That(result.Connections, Is.Zero);
            Assert.That(result.ErrorKinds.Keys, Has.All.StartWith("HttpRequestException: ").And.All.Contains("refused"));
            Assert.That(result.ErrorSummary(), Does.StartWith($"clients=2: {result.Requests} of {result.Requests} requests failed"));
        });
    }

    [Test]
    public async Task RunAsync_ServerSlowerThanTimeout_TimeoutsAreErrorsAndTheRunStaysBounded()
    {
        await using var server = await LoopbackServer.StartAsync(TimeSpan.FromSeconds(5));
        LoadResult result = await LoadRunner.RunAsync(Plan(server.Url, seconds: 0.3, timeout: 0.2), clients: 2);
        Assert.Multiple(() =>
        {
            Assert.That(result.Seconds, Is.LessThan(2.0), "duration + timeout and slack for a busy machine, far from the server's 5 s");
            Assert.That(result.Requests, Is.InRange(2, 6));
            Assert.That(result.Errors, Is.EqualTo(result.Requests));
            Assert.That(result.ErrorKinds.Keys, Is.EqualTo(new[] { "timeout: no answer within 0.2 s" }));
            // HttpClient's timeout fires on .NET's coarse timer clock (4 ms ticks here), so it may come a tick early.
            Assert.That(result.LatenciesMs[0], Is.GreaterThanOrEqualTo(200 - 10));
        });
    }

    [Test]
    public async Task RunAsync_Warmup_NotCountedAndItsConnectionsReused()
    {
        await using var server = await LoopbackServer.StartAsync();
        LoadResult result = await LoadRunner.RunAsync(Plan(server.Url, max: 200, warmup: 0.3), clients: 3);
        Assert.Multiple(() =>
        {
            Assert.That(result.Requests, Is.EqualTo(200));
            Assert.That(result.WarmupRequests, Is.GreaterThan(0));
            Assert.That(server.Received, Is.EqualTo(result.WarmupRequests + 200));
            Assert.That(result.WarmupErrors, Is.Zero);
            // At most one connection per client over both phases: the measured phase opened none of its own.
            Assert.That(result.Connections, Is.InRange(1, 3));
            Assert.That(server.ConnectionIds, Has.Count.EqualTo(result.Connections));
        });
    }

    [Test]
    public async Task RunAsync_MoreClientsThanRequests_NoLoopExceedsTheCount()
    {
        await using var server = await LoopbackServer.StartAsync();
        LoadResult result = await LoadRunner.RunAsync(Plan(server.Url, max: 5), clients: 64);
        Assert.That((result.Requests, server.Received, result.Errors), Is.EqualTo((5L, 5L, 0L)));
    }

    [Test]
    public async Task RunAsync_WrongArguments_Throw()
    {
        await using var server = await LoopbackServer.StartAsync();
        Assert.That(() => LoadRunner.RunAsync(Plan(server.Url), clients: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => LoadRunner.RunAsync(Plan(server.Url, max: 0), clients: 1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
