// Program.cs — the web service: POST /api/digits, POST /api/numbers, GET /health and the draw-a-digit page (wwwroot),
// over one DigitsML model loaded before the server starts (Model:Path; by default the digit classifier shipped with
// DigitsML) and a line reader that reads whole numbers (Reader:Path; by default the shipped reader; Reader:Enabled=false
// for none).
//
//   dotnet run -c Release --project samples/WebApp -- --urls http://127.0.0.1:5000 [--Model:Path=digits.zip] [--Reader:Path=reader.zip]
//
// Errors at start are one line on stderr and exit code 1; errors of a request are a status code and a problem-details
// body (application/problem+json) whose "detail" says what was wrong.
using System.Threading.RateLimiting;
using DigitsML;
using DigitsML.WebApp;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

// The content root is the output folder, where appsettings.json and wwwroot are, wherever the app is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.Configure<AppLimits>(builder.Configuration.GetSection("Limits"));
// The model, through DigitsML.Hosting: a file is reloaded when it changes (Model:WatchForChanges, default true); without
// Model:Path, the shipped classifier, read once from DigitsML.Scoring.
builder.Services.AddDigitsRecognition(_ => { });
builder.Services.AddOptions<DigitsRecognitionOptions>().Configure<IConfiguration>((digits, configuration) =>
{
    digits.ModelPath = DigitModel.PathFrom(configuration);
    if (digits.ModelPath is null)
        digits.ModelStream = DigitModel.OpenPretrained;
    digits.WatchForChanges = configuration.GetValue("Model:WatchForChanges", true);
    digits.RequiredClasses = DigitModel.Digits;
});
builder.Services.AddSingleton(services => new DigitModel(DigitModel.PathFrom(services.GetRequiredService<IConfiguration>()), services));
builder.Services.AddSingleton(services => new ReaderModel(ReaderModel.PathFrom(services.GetRequiredService<IConfiguration>()),
    services.GetRequiredService<IOptions<AppLimits>>().Value, ReaderModel.EnabledFrom(services.GetRequiredService<IConfiguration>())));
builder.Services.AddSingleton(services => new ScoringLimiters(services.GetRequiredService<IOptions<AppLimits>>().Value));
builder.Services.AddSingleton(services => new LargeImageDecoder(services.GetRequiredService<IOptions<AppLimits>>().Value.LargeImageConcurrency));
builder.Services.AddProblemDetails();
// Kestrel's own refusals of long request lines and headers have no body: its limits are twice the app's, which the
// RequestSizeLimits middleware answers with problem details.
// Build() creates Kestrel: limits that do not bind leave its defaults here and stop the app right after (below).
builder.Services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
{
    kestrel.AddServerHeader = false;
    if (AppLimits.TryBind(configuration, out var limits, out _))
    {
        kestrel.Limits.MaxRequestLineSize = 2 * limits.MaxRequestLineBytes;
        kestrel.Limits.MaxRequestHeadersTotalSize = 2 * limits.MaxRequestHeaderBytes;
    }
});
builder.Services.AddRateLimiter(_ => { });
builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<AppLimits>>((options, limits) =>
{
    // All requests to the API at once (their bodies are in memory): 503 past Limits:MaxConcurrentRequests.
    options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => context.Request.Path.StartsWithSegments("/api")
        ? RateLimitPartition.GetConcurrencyLimiter("api", _ => new ConcurrencyLimiterOptions { PermitLimit = limits.Value.MaxConcurrentRequests })
        : RateLimitPartition.GetNoLimiter("other"));
    options.OnRejected = async (rejected, _) =>
    {
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = $"{limits.Value.RetryAfterSeconds}";
        await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            $"the service has {limits.Value.MaxConcurrentRequests} requests in progress, the most allowed " +
            $"(Limits:MaxConcurrentRequests): try again in {limits.Value.RetryAfterSeconds} s");
    };
    options.AddPolicy<string, PerClientPolicy>(PerClientPolicy.Name);
});
var app = builder.Build();

// Everything that can stop the app is checked before it listens, on this thread: a start-up error is one line on
// stderr and exit code 1, never a race with the server's start.
if (!AppLimits.TryBind(app.Configuration, out var limits, out string? unbound))
    return StartupError(unbound!);
if (limits.Problem() is { } nonsense)
    return StartupError(nonsense);
var model = app.Services.GetRequiredService<DigitModel>();
try
{
    model.Load();
}
catch (ModelLoadException e)
{
    return StartupError(e.Message);
}
catch (Exception e) // whatever else a hostile file makes ML.NET or ONNX Runtime throw: still one line and status 1
{
    return StartupError($"{model.Path ?? DigitModel.PretrainedName} could not be loaded as a model ({e.GetType().Name}: {Problems.OneLine(e.Message)})");
}
app.Logger.LogInformation("model {Name} ({Sha256}) loaded", model.Name, model.Info.Sha256);
ReaderModel reader;
try
{
    reader = app.Services.GetRequiredService<ReaderModel>();  // reads Reader:Enabled
}
catch (ModelLoadException e)
{
    return StartupError(e.Message);
}
try
{
    reader.Load();
}
catch (ModelLoadException e)
{
    return StartupError(e.Message);
}
catch (Exception e) // as for the model: whatever a hostile file makes ML.NET or ONNX Runtime throw
{
    return StartupError($"{reader.Path ?? ReaderModel.PretrainedName} could not be loaded as a reader (Reader:Path) ({e.GetType().Name}: {Problems.OneLine(e.Message)})");
}
if (reader.IsConfigured)
    app.Logger.LogInformation("reader {Name} ({Sha256}) loaded", reader.FileName, reader.Sha256);

app.UseMiddleware<SecurityHeaders>();
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // Kestrel's bad-request errors (a body cut short, ...) are the client's: their own status, not a 500.
    StatusCodeSelector = error => error is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages(); // 404, 405, ... with a problem-details body
app.UseMiddleware<RequestSizeLimits>();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRateLimiter();

app.MapPost("/api/digits", DigitEndpoint.PostAsync).RequireRateLimiting(PerClientPolicy.Name);
app.MapPost("/api/numbers", NumberEndpoint.PostAsync).RequireRateLimiting(PerClientPolicy.Name);
// The model answering now: its file name ("pretrained:digits" for the shipped one), size, SHA-256 and version (1 at start,
// +1 per reload), never its folder; "degraded" with the reason when a newer file did not load (the older model still
// answers). The reader: configured or not, and when it is, its file name ("pretrained:reader" for the shipped one), size,
// SHA-256 and version (always 1: it is loaded once), never its folder.
app.MapGet("/health", () =>
{
    var info = model.Info;
    return Results.Json(new
    {
        status = model.LastReloadError is null ? "ok" : "degraded",
        model = model.Name,
        bytes = model.Bytes,
        sha256 = info.Sha256,
        version = info.Version,
        lastReloadError = model.LastReloadError,
        reader = reader.IsConfigured
            ? (object)new { configured = true, model = reader.FileName, bytes = reader.Bytes, sha256 = reader.Sha256, version = reader.Version }
            : new { configured = false },
    });
});

app.Run();
return 0;

static int StartupError(string message)
{
    Console.Error.WriteLine($"error: {Problems.OneLine(message)}");
    return 1;
}
