// AnswerCheckTests.cs — the first request's check: a digit answer passes, anything else stops the load test with a
// one-line reason that shows what the server said.
namespace DigitsML.LoadTest.Tests;

[TestFixture]
public sealed class AnswerCheckTests
{
    private static readonly byte[] Body = [1, 2, 3];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task PostOnceAsync_DigitAnswer_ReturnsTheDigitAndBody()
    {
        const string answer = """{"digit":7,"probability":0.998,"runnerUp":2}""";
        await using var server = await LoopbackServer.StartAsync(answer: answer);
        var (digit, body, ms) = await AnswerCheck.PostOnceAsync(server.Url, Body, "image/png", expectDigit: 7, Timeout);
        Assert.That((digit, body), Is.EqualTo((7, answer)));
        Assert.That(ms, Is.GreaterThan(0));
        Assert.That(server.Bodies.Keys.Single(), Is.EqualTo(((string?)"image/png", 3L)));
    }

    [TestCase(400, """{"error":"not an image"}""", "answered HTTP 400 to the image: {\"error\":\"not an image\"}")]
    [TestCase(200, "seven", "not JSON")]
    [TestCase(200, """[7]""", "without an integer \"digit\" from 0 to 9: [7]")]
    [TestCase(200, """{"digit":12,"probability":0.5}""", "without an integer \"digit\" from 0 to 9")]
    [TestCase(200, """{"digit":"7","probability":0.5}""", "without an integer \"digit\" from 0 to 9")]
    [TestCase(200, """{"digit":7.5,"probability":0.5}""", "without an integer \"digit\" from 0 to 9")]
    [TestCase(200, """{"digit":7}""", "without a \"probability\" in [0, 1]")]
    [TestCase(200, """{"digit":7,"probability":1.5}""", "without a \"probability\" in [0, 1]")]
    [TestCase(200, """{"trivial":true,"received":3}""", "without an integer \"digit\"")]
    public async Task PostOnceAsync_NotADigitAnswer_ThrowsSayingWhat(int status, string answer, string reason)
    {
        await using var server = await LoopbackServer.StartAsync(answer: answer, status: status);
        Assert.That(() => AnswerCheck.PostOnceAsync(server.Url, Body, "image/png", null, Timeout),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains(reason).And.Message.StartsWith(server.Url.ToString()));
    }

    [Test]
    public async Task PostOnceAsync_OtherDigitThanExpected_Throws()
    {
        await using var server = await LoopbackServer.StartAsync(answer: """{"digit":1,"probability":0.6}""");
        Assert.That(() => AnswerCheck.PostOnceAsync(server.Url, Body, "image/png", expectDigit: 7, Timeout),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("read the image as 1, not 7"));
    }
}
