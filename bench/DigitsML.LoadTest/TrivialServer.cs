// TrivialServer.cs — --trivial-server: Kestrel answering POST /api/digits with almost no work, to measure the client's
// own ceiling on this machine (build/loadtest.sh --baseline). It reads the whole body, as the real app must, and
// answers a short JSON that says it is not a recognizer, so the answer check cannot mistake it for one.
using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DigitsML.LoadTest;

internal static class TrivialServer
{
    /// <summary>Builds the app listening on 127.0.0.1:<paramref name="port"/> (0: a free port, see the app's Urls once
    /// started). Routes: POST /api/digits (200 {"trivial":true,"received":N}, N the body's bytes), GET /health (200).</summary>
    public static WebApplication Create(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();  // a log line per request would be most of the work measured
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/api/digits", async (HttpRequest request) =>
        {
            long received = 0;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int n;
                while ((n = await request.Body.ReadAsync(buffer)) > 0)
                    received += n;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return Results.Text($$"""{"trivial":true,"received":{{received}}}""", "application/json");
        });
        app.MapGet("/health", () => Results.Text("ok"));
        return app;
    }
}
