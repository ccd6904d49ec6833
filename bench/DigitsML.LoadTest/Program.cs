// Program.cs — DigitsML.LoadTest: the load-test client of build/loadtest.sh (see LoadTestOptions.Usage), its flood,
// its PNG maker and its trivial server.
using System.Globalization;
using DigitsML;
using DigitsML.LoadTest;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = LoadTestOptions.Parse(args, out string? usageError);
if (options is null)
{
    Console.Error.WriteLine($"DigitsML.LoadTest: {usageError} (see --help)");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(LoadTestOptions.Usage);
    return 0;
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

if (options.MakePng is { } pngPath)
{
    try
    {
        int label = MnistPng.Write(options.Mnist!, options.Index, pngPath, options.Size);
        Console.WriteLine($"png={pngPath} index={options.Index} label={label}");
        return 0;
    }
    catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or DataFormatException
        or ArgumentException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"DigitsML.LoadTest: {e.Message}");
        return 1;
    }
}

if (options.TrivialServer)
{
    var app = TrivialServer.Create(options.Port!.Value);
    try
    {
        await app.StartAsync(stop.Token);
    }
    catch (IOException e)  // Kestrel's "address already in use"
    {
        Console.Error.WriteLine($"DigitsML.LoadTest: cannot listen on 127.0.0.1:{options.Port}: {e.Message}");
        return 1;
    }
    Console.WriteLine($"trivial server listening on {string.Join(", ", app.Urls)}");
    await app.WaitForShutdownAsync(stop.Token);
    return 0;
}

if (options.FloodPng is not null)
{
    try
    {
        return await Flood.RunAsync(options, stop.Token);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"DigitsML.LoadTest: flood: {e.Message}");
        return 1;
    }
    catch (OperationCanceledException)
    {
        Console.Error.WriteLine("DigitsML.LoadTest: cancelled");
        return 130;
    }
}

byte[] body;
try
{
    body = File.ReadAllBytes(options.Png!);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"DigitsML.LoadTest: cannot read --png {options.Png}: {e.Message}");
    return 1;
}
if (body.Length == 0)
{
    Console.Error.WriteLine($"DigitsML.LoadTest: --png {options.Png} is empty");
    return 1;
}
const string ContentType = "image/png";
try
{
    if (options.CheckAnswer)
    {
        var (digit, answer, ms) = await AnswerCheck.PostOnceAsync(options.Url!, body, ContentType, options.ExpectDigit, options.Timeout, stop.Token);
        Console.WriteLine($"answer: digit={digit} ms={ms:0.0} body={answer}");
    }
    var plan = new LoadPlan(options.Url!, body, ContentType, options.Duration, options.MaxRequests, options.Warmup, options.Timeout);
    bool failed = false;
    foreach (int clients in options.Clients)
    {
        LoadResult result = await LoadRunner.RunAsync(plan, clients, stop.Token);
        Console.WriteLine(result.ToLine());
        if (result.WarmupErrors > 0)
            Console.Error.WriteLine($"warning: clients={clients}: {result.WarmupErrors} of {result.WarmupRequests} warm-up requests failed");
        if (result.ErrorSummary() is { } summary)
        {
            Console.Error.WriteLine($"DigitsML.LoadTest: errors at {summary}");
            failed = true;
        }
    }
    return failed ? 1 : 0;
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine($"DigitsML.LoadTest: answer check failed: {e.Message}");
    return 1;
}
catch (HttpRequestException e)
{
    Console.Error.WriteLine($"DigitsML.LoadTest: answer check failed: cannot reach {options.Url}: {e.Message}");
    return 1;
}
catch (TaskCanceledException) when (!stop.IsCancellationRequested)
{
    Console.Error.WriteLine($"DigitsML.LoadTest: answer check failed: no answer from {options.Url} within {options.Timeout.TotalSeconds} s");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("DigitsML.LoadTest: cancelled");
    return 130;
}
