// KestrelTests.cs — the app in its own process behind real Kestrel: an upload the client abandons is logged as
// information (issue 20 row 12: it was an unhandled-exception error), long request lines and headers get problem details
// from the app before Kestrel's own bodiless refusal, and no Server banner.
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DigitsML.WebApp.Tests.Api;

[TestFixture]
public sealed class KestrelTests
{
    private AppProcess app = null!;
    private Uri address = null!;
    private HttpClient client = null!;

    [OneTimeSetUp]
    public async Task StartApp()
    {
        (app, address) = await AppProcess.StartAsync($"--Model:Path={TrainedModel.Path}");
        client = new HttpClient { BaseAddress = address };
    }

    [OneTimeTearDown]
    public void StopApp()
    {
        client?.Dispose();
        app?.Dispose();
    }

    [Test]
    public async Task Post_ClientClosesMidUpload_LoggedAsInformationNotError()
    {
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(address.Host, address.Port);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/digits HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n"));
            await stream.WriteAsync(new byte[1000]);
            await stream.FlushAsync();
        } // closed after 1,000 of the 100,000 bytes

        // The console logger writes from a queue of its own: wait for the line, then look at everything logged.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!app.Output.Contains("POST /api/digits: the upload was cut short") && !app.Output.Contains("POST /api/digits: the client went away"))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"the abandoned upload was not logged: {app.Output}");
            await Task.Delay(50);
        }
        Assert.That((await client.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still answering");
        Assert.That(app.Output, Does.Contain("info: DigitsML.WebApp.DigitEndpoint"));
        Assert.That(app.Output, Does.Not.Contain("fail:").And.Not.Contain("Unhandled").And.Not.Contain("   at "));
    }

    [Test]
    public async Task Get_RequestLineBetweenAppAndKestrelLimits_414Problem()
    {
        var response = await client.GetAsync("/" + new string('a', 12_000));

        Assert.That(await response.ErrorAsync(HttpStatusCode.RequestUriTooLong), Does.EndWith("(Limits:MaxRequestLineBytes)"));
    }

    [Test]
    public async Task Get_HeadersBetweenAppAndKestrelLimits_431Problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Padding", new string('p', 40_000));

        Assert.That(await (await client.SendAsync(request)).ErrorAsync(HttpStatusCode.RequestHeaderFieldsTooLarge),
            Does.EndWith("(Limits:MaxRequestHeaderBytes)"));
    }

    [Test]
    public async Task Get_Health_NoServerBanner()
    {
        var response = await client.GetAsync("/health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("Server"), Is.False, "Kestrel's Server: Kestrel names the software to attackers");
        Assert.That(response.Headers.Contains("X-Content-Type-Options"), Is.True);
    }
}
