// TrivialServerTests.cs — the baseline server answers every request with the body's size and no digit, so the
// client's ceiling can be measured against it and the answer check cannot take it for a recognizer.
using Microsoft.AspNetCore.Builder;

namespace DigitsML.LoadTest.Tests;

[TestFixture]
public sealed class TrivialServerTests
{
    [Test]
    public async Task Create_UnderLoad_AnswersEveryRequestWithTheBodySize()
    {
        await using var app = TrivialServer.Create(port: 0);
        await app.StartAsync();
        var url = new Uri(new Uri(app.Urls.Single()), "/api/digits");
        byte[] body = new byte[1000];
        using (var http = new HttpClient())
        {
            using var answer = await http.PostAsync(url, new ByteArrayContent(body));
            Assert.That(await answer.Content.ReadAsStringAsync(), Is.EqualTo("""{"trivial":true,"received":1000}"""));
            using var health = await http.GetAsync(new Uri(url, "/health"));
            Assert.That((int)health.StatusCode, Is.EqualTo(200));
        }
        var result = await LoadRunner.RunAsync(new LoadPlan(url, body, "image/png", TimeSpan.FromSeconds(10), 2000,
            TimeSpan.Zero, TimeSpan.FromSeconds(10)), clients: 8);
        Assert.That((result.Requests, result.Errors), Is.EqualTo((2000L, 0L)));
        Assert.That(() => AnswerCheck.PostOnceAsync(url, body, "image/png", null, TimeSpan.FromSeconds(10)),
            Throws.TypeOf<InvalidDataException>());
        await app.StopAsync();
    }
}
