// Program.cs — the web service: POST /api/digits, GET /health and the draw-a-digit page (wwwroot), over one DigitsML
// model loaded at start (Model:Path; default artifacts/digits-model.zip of this repository, which build/run.sh writes).
//
//   dotnet run -c Release --project samples/WebApp -- --urls http://127.0.0.1:5000 [--Model:Path=digits.zip]
//
// Errors at start are one line on stderr and exit code 1; errors of a request are a status code and {"error": "..."}.
using DigitsML.WebApp;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

// The content root is the output folder, where appsettings.json and wwwroot are, wherever the app is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.Configure<AppLimits>(builder.Configuration.GetSection("Limits"));
builder.Services.AddSingleton(services => new DigitModel(DigitModel.PathFrom(services.GetRequiredService<IConfiguration>())));
builder.Services.AddHostedService<ModelLoader>();
var app = builder.Build();

var model = app.Services.GetRequiredService<DigitModel>();
AppLimits limits;
try
{
    limits = app.Services.GetRequiredService<IOptions<AppLimits>>().Value;
}
catch (InvalidOperationException e) // "Failed to convert configuration value at 'Limits:MaxBodyBytes' to type ..."
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
if (StartupProblem(model, limits) is { } problem)
{
    Console.Error.WriteLine($"error: {problem}");
    return 1;
}

app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = AnswerFailure });
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapPost("/api/digits", async (HttpRequest request, CancellationToken cancel) =>
{
    if (!model.IsLoaded)
        return Error(StatusCodes.Status503ServiceUnavailable, "the model is still loading: try again in a moment");
    try
    {
        float[] features = await DigitRequest.ReadFeaturesAsync(request, limits, cancel);
        return Results.Json(model.Predict(features));
    }
    catch (BadDigitRequestException e)
    {
        return Error(e.StatusCode, e.Message);
    }
});

app.MapGet("/health", () => model.IsLoaded
    ? Results.Json(new { status = "ok", model = model.Path })
    : Results.Json(new { status = "loading", model = model.Path }, statusCode: StatusCodes.Status503ServiceUnavailable));

app.Run();
return Environment.ExitCode; // 1 when the model failed to load (ModelLoader stops the app)

// What stops the app before it listens: a model file that is not there, or limits that make no sense.
static string? StartupProblem(DigitModel model, AppLimits limits)
{
    if (!File.Exists(model.Path))
        return $"no model at {model.Path}: train one with build/run.sh, or name one with Model:Path (e.g. --Model:Path=digits.zip)";
    if (limits.MaxBodyBytes < 1)
        return $"Limits:MaxBodyBytes is {limits.MaxBodyBytes}: it must be at least 1";
    if (limits.MaxImagePixels is < 1 or > DigitsML.DigitFeatures.MaxPixels)
        return $"Limits:MaxImagePixels is {limits.MaxImagePixels}: it must be between 1 and {DigitsML.DigitFeatures.MaxPixels}";
    return null;
}

static IResult Error(int statusCode, string message) => Results.Json(new { error = message }, statusCode: statusCode);

// Anything a request throws past the endpoint: Kestrel's own bad-request errors keep their status; the rest is a 500 that
// the exception-handler middleware has logged. Either way the service goes on answering.
static Task AnswerFailure(HttpContext context)
{
    var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
    var (status, message) = error is BadHttpRequestException bad
        ? (bad.StatusCode, bad.Message.ReplaceLineEndings(" "))
        : (StatusCodes.Status500InternalServerError, "internal error (logged by the service)");
    context.Response.StatusCode = status;
    return context.Response.WriteAsJsonAsync(new { error = message });
}
