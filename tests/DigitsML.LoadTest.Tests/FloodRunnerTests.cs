// FloodRunnerTests.cs — the flood mode against a real Kestrel server on loopback: the flood's requests counted by status,
// failures apart, the server's RSS read from /proc, and the result line.
namespace DigitsML.LoadTest.Tests;

[TestFixture]
public sealed class FloodRunnerTests
{
    private static readonly byte[] Body = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3];

    [Test]
    public async Task RunAsync_ServerFailingEveryThirdRequest_StatusesCountedAndRssRead()
    {
        // The server answers 500 to every third request: counted by status, not as failures.
        await using var server = await LoopbackServer.StartAsync(fail: n => n % 3 == 0);
        var plan = new FloodPlan(server.Url, Body, Clients: 3, Duration: TimeSpan.FromSeconds(0.3), Timeout: TimeSpan.FromSeconds(10),
            After: TimeSpan.Zero);

        var flood = await FloodRunner.RunAsync(plan, Environment.ProcessId);

        Assert.Multiple(() =>
        {
            Assert.That(flood.Statuses.Keys, Is.EquivalentTo(new[] { 200, 500 }));
            Assert.That(flood.Statuses[200], Is.GreaterThan(flood.Statuses[500]), "two answers of three are 200");
            Assert.That(flood.Failures, Is.Empty);
            Assert.That(flood.Requests, Is.EqualTo(flood.Statuses.Values.Sum()));
            Assert.That(server.Received, Is.GreaterThanOrEqualTo(flood.Requests), "requests cut off at the end are not counted");
            Assert.That(server.Bodies.Keys, Is.EqualTo(new[] { ((string?)"image/png", (long)Body.Length) }));
            Assert.That(flood.RssBeforeBytes, Is.GreaterThan(0));
            Assert.That(flood.RssPeakBytes, Is.GreaterThanOrEqualTo(flood.RssBeforeBytes!.Value));
            Assert.That(flood.RssAfterBytes, Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task RunAsync_NoServerPid_NoMemoryFigures()
    {
        await using var server = await LoopbackServer.StartAsync();
        var plan = new FloodPlan(server.Url, Body, 2, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(10), TimeSpan.Zero);

        var flood = await FloodRunner.RunAsync(plan, serverPid: null);

        Assert.That(flood.Statuses.Keys, Is.EqualTo(new[] { 200 }));
        Assert.That((flood.RssBeforeBytes, flood.RssPeakBytes, flood.RssAfterBytes), Is.EqualTo(((long?)null, (long?)null, (long?)null)));
        Assert.That(flood.ToLine(), Does.Contain("rss_before_mb=- rss_peak_mb=- rss_after_mb=-"));
    }

    [Test]
    public async Task RunAsync_NobodyListening_FailuresCounted()
    {
        var plan = new FloodPlan(LoopbackServer.ClosedUrl(), Body, 2, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(10), TimeSpan.Zero);

        var flood = await FloodRunner.RunAsync(plan, serverPid: null);

        Assert.That(flood.Statuses, Is.Empty);
        Assert.That(flood.Failures.Values.Sum(), Is.GreaterThan(0).And.EqualTo(flood.Requests));
    }

    [Test]
    public void ToLine_Statuses_CountedByKindWithOthersTogether()
    {
        var result = new FloodResult(10, new Dictionary<int, long> { [200] = 2, [503] = 5, [429] = 1, [500] = 1 },
            new Dictionary<string, long> { ["timeout"] = 1 }, 100L << 20, 300L << 20, 150L << 20, 60);

        Assert.That(result.ToLine(), Is.EqualTo("flood_requests=10 flood_200=2 flood_400=0 flood_429=1 flood_503=5 flood_other=1 " +
                                                "flood_failed=1 rss_before_mb=100 rss_peak_mb=300 rss_after_mb=150 after_s=60"));
    }

    [Test]
    public void ReadRss_ThisProcess_SomeMegabytes() =>
        Assert.That(ServerMemory.ReadRss(Environment.ProcessId), Is.InRange(1L << 20, 1L << 40));
}
