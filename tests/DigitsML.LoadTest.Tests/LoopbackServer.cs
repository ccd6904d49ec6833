// LoopbackServer.cs — a real Kestrel server on a free loopback port for the client's tests: it answers POST /api/digits
// after a set delay, with 500 for the requests a rule picks, and counts what it was sent, so each test can check the
// client's figures against the server's own.
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DigitsML.LoadTest.Tests;

internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private long received;

    /// <summary>Requests received so far, numbered from 1 in arrival order.</summary>
    public long Received => Interlocked.Read(ref received);

    /// <summary>The distinct connections requests arrived on.</summary>
    public ConcurrentDictionary<string, bool> ConnectionIds { get; } = new();

    /// <summary>Each distinct (content type, body length) pair the server was sent.</summary>
    public ConcurrentDictionary<(string? ContentType, long Length), bool> Bodies { get; } = new();

    public Uri Url { get; }

    private LoopbackServer(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>Starts the server. <paramref name="delay"/> is how long each answer waits; <paramref name="fail"/> picks by
    /// request number the requests answered 500; <paramref name="answer"/> is the 200 answer's JSON.</summary>
    public static async Task<LoopbackServer> StartAsync(TimeSpan delay = default, Func<long, bool>? fail = null,
        string answer = """{"digit":7,"probability":0.99}""", int status = 200)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LoopbackServer? self = null;
        app.MapPost("/api/digits", async (HttpContext context) =>
        {
            long number = Interlocked.Increment(ref self!.received);
            self.ConnectionIds.TryAdd(context.Connection.Id, true);
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
            self.Bodies.TryAdd((context.Request.ContentType, copy.Length), true);
            // Task.Delay alone may end up to a timer tick early (.NET's timers run on a coarse clock, 4 ms here), so the
            // wait goes on until the precise clock says the whole delay has passed: tests compare latencies with it.
            long arrived = System.Diagnostics.Stopwatch.GetTimestamp();
            for (TimeSpan left = delay; left > TimeSpan.Zero; left = delay - System.Diagnostics.Stopwatch.GetElapsedTime(arrived))
                await Task.Delay(left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left, context.RequestAborted);
            if (fail?.Invoke(number) == true)
                return Results.Text("""{"error":"chosen to fail"}""", "application/json", statusCode: 500);
            return Results.Text(answer, "application/json", statusCode: status);
        });
        await app.StartAsync();
        string address = app.Urls.Single();
        self = new LoopbackServer(app, new Uri(new Uri(address), "/api/digits"));
        return self;
    }

    /// <summary>A loopback URL nobody listens on: a port the system just handed out and took back.</summary>
    public static Uri ClosedUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/api/digits");
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));  // requests still waiting are cut off
        await app.StopAsync(deadline.Token);
        await app.DisposeAsync();
    }
}
