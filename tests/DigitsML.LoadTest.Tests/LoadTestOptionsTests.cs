// LoadTestOptionsTests.cs — the command line: defaults, each option read, and every wrong use refused with one line
// naming the option.
namespace DigitsML.LoadTest.Tests;

[TestFixture]
public sealed class LoadTestOptionsTests
{
    private static LoadTestOptions Parse(params string[] args) =>
        LoadTestOptions.Parse(args, out string? error) ?? throw new AssertionException($"refused: {error}");

    [Test]
    public void Parse_UrlAndPngOnly_Defaults()
    {
        var o = Parse("--url", "http://127.0.0.1:5000/api/digits", "--png", "d.png");
        Assert.Multiple(() =>
        {
            Assert.That(o.Url, Is.EqualTo(new Uri("http://127.0.0.1:5000/api/digits")));
            Assert.That(o.Clients, Is.EqualTo(new[] { 1, 8, 64 }));
            Assert.That(o.Duration, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(o.Warmup, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(o.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(o.MaxRequests, Is.EqualTo(1_000_000));
            Assert.That((o.CheckAnswer, o.ExpectDigit), Is.EqualTo((true, (int?)null)));
        });
    }

    [Test]
    public void Parse_EveryLoadOption_Read()
    {
        var o = Parse("--url", "http://h:1/x", "--png", "d.png", "--clients", "2, 16", "--duration", "1.5", "--warmup", "0",
            "--max-requests", "500", "--timeout", "3", "--expect-digit", "7");
        Assert.That((o.Clients, o.Duration, o.Warmup, o.MaxRequests, o.Timeout, o.ExpectDigit),
            Is.EqualTo((new[] { 2, 16 }, TimeSpan.FromSeconds(1.5), TimeSpan.Zero, 500L, TimeSpan.FromSeconds(3), (int?)7))
                .Using<(IReadOnlyList<int>, TimeSpan, TimeSpan, long, TimeSpan, int?)>((a, b) =>
                    a.Item1.SequenceEqual(b.Item1) && (a.Item2, a.Item3, a.Item4, a.Item5, a.Item6) == (b.Item2, b.Item3, b.Item4, b.Item5, b.Item6)));
    }

    [Test]
    public void Parse_OtherModes_Read()
    {
        var png = Parse("--make-png", "out.png", "--mnist", "m", "--index", "42");
        var server = Parse("--trivial-server", "--port", "0");
        Assert.That((png.MakePng, png.Mnist, png.Index, server.TrivialServer, server.Port), Is.EqualTo(("out.png", "m", 42, true, (int?)0)));
    }

    [Test]
    public void Parse_FloodOptions_ReadWithOneNormalClientByDefault()
    {
        var o = Parse("--url", "http://h:1/x", "--flood-png", "big.png", "--flood-clients", "32", "--server-pid", "1234",
            "--after", "5", "--duration", "20");
        var defaults = Parse("--url", "http://h:1/x", "--flood-png", "big.png");
        var big = Parse("--make-png", "big.png", "--mnist", "m", "--size", "2048");
        Assert.That((o.FloodPng, o.FloodClients, o.ServerPid, o.After, o.Duration, big.Size),
            Is.EqualTo(("big.png", 32, (int?)1234, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), 2048)));
        Assert.That((defaults.FloodClients, defaults.ServerPid, defaults.After), Is.EqualTo((64, (int?)null, TimeSpan.FromSeconds(60))));
    }

    [TestCase("--url|http://h/x|--png|p|--flood-png|f", "--flood-png needs --url URL and no --png")]
    [TestCase("--flood-png|f", "--flood-png needs --url URL and no --png")]
    [TestCase("--url|http://h/x|--png|p|--server-pid|12", "--server-pid is read in flood mode only")]
    [TestCase("--url|http://h/x|--flood-png|f|--flood-clients|0", "--flood-clients needs a whole number from 1 to 10000, not '0'")]
    [TestCase("--make-png|x|--mnist|m|--size|27", "--size needs a whole number from 28 to 8192, not '27'")]
    public void Parse_WrongFloodUse_RefusedNamingTheOption(string joined, string message)
    {
        Assert.That(LoadTestOptions.Parse(joined.Split('|'), out string? error), Is.Null);
        Assert.That(error, Does.StartWith(message));
    }

    [TestCase("--url|ftp://h/x|--png|p", "--url needs an absolute http or https URL, not 'ftp://h/x'")]
    [TestCase("--url|/api/digits|--png|p", "--url needs an absolute http or https URL")]
    [TestCase("--url|http://h/x", "--url needs --png FILE")]
    [TestCase("--png|p", "--png needs --url URL")]
    [TestCase("--url|http://h/x|--png|p|--clients|1,0", "--clients needs comma-separated whole numbers from 1 to 10000, not '1,0'")]
    [TestCase("--url|http://h/x|--png|p|--clients|8,", "--clients needs comma-separated whole numbers")]
    [TestCase("--url|http://h/x|--png|p|--duration|0", "--duration needs more than 0 seconds (at most 86400), not '0'")]
    [TestCase("--url|http://h/x|--png|p|--duration|-1", "--duration needs more than 0 seconds")]
    [TestCase("--url|http://h/x|--png|p|--warmup|x", "--warmup needs 0 or more seconds")]
    [TestCase("--url|http://h/x|--png|p|--timeout|NaN", "--timeout needs more than 0 seconds")]
    [TestCase("--url|http://h/x|--png|p|--max-requests|0", "--max-requests needs a whole number of at least 1, not '0'")]
    [TestCase("--url|http://h/x|--png|p|--expect-digit|10", "--expect-digit needs one digit from 0 to 9, not '10'")]
    [TestCase("--url|http://h/x|--png|p|--expect-digit|3|--no-answer-check", "contradict")]
    [TestCase("--url|http://h/x|--png|p|--duration", "--duration needs a value")]
    [TestCase("--url|http://h/x|--png|p|--speed|3", "unknown option '--speed'")]
    [TestCase("extra", "unexpected argument 'extra'")]
    [TestCase("", "give --url and --png, --make-png, or --trivial-server")]
    [TestCase("--trivial-server|--url|http://h/x|--png|p", "give only one of")]
    [TestCase("--make-png|o.png", "--make-png needs --mnist DIR")]
    [TestCase("--make-png|o.png|--mnist|m|--index|-3", "--index needs a whole number, not '-3'")]
    [TestCase("--trivial-server", "--trivial-server needs --port PORT")]
    [TestCase("--trivial-server|--port|70000", "--port needs a port number from 0 to 65535, not '70000'")]
    public void Parse_WrongUse_RefusedWithReason(string joined, string reason)
    {
        string[] args = joined.Length == 0 ? [] : joined.Split('|');
        Assert.That(LoadTestOptions.Parse(args, out string? error), Is.Null);
        Assert.That(error, Does.Contain(reason));
    }
}
