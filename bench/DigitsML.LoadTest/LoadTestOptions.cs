// LoadTestOptions.cs — the command line of DigitsML.LoadTest, parsed and checked: every refusal names the option and
// what it needs, one line.
using System.Globalization;

namespace DigitsML.LoadTest;

/// <summary>What the command line asks for: a load run (Url and Png set), --make-png, or --trivial-server.</summary>
internal sealed record LoadTestOptions
{
    public const string Usage = """
        usage: DigitsML.LoadTest --url URL --png FILE [--clients 1,8,64] [--duration 10] [--max-requests 1000000]
                                 [--warmup 2] [--timeout 10] [--expect-digit D | --no-answer-check]
               DigitsML.LoadTest --url URL --flood-png FILE [--flood-clients 64] [--duration 10] [--server-pid PID] [--after 60]
               DigitsML.LoadTest --make-png FILE --mnist DIR [--index 0] [--size 28]
               DigitsML.LoadTest --trivial-server --port PORT
          --url             the endpoint to post to, e.g. http://127.0.0.1:5000/api/digits
          --png             the image every request posts (Content-Type: image/png)
          --clients         comma-separated counts of concurrent clients, one run each (default 1,8,64)
          --duration        seconds each run's measured phase starts requests (default 10; decimals allowed)
          --max-requests    at most this many requests per run's measured phase, all clients together (default 1000000)
          --warmup          seconds of untimed requests before each run, on the same connections (default 2; 0: none)
          --timeout         seconds a request may take before it counts as an error (default 10)
          --expect-digit    fail unless the first answer's "digit" is D (default: any digit from 0 to 9)
          --no-answer-check skip the first request's check of the answer (for --trivial-server)
          --flood-png       flood mode: --flood-clients loops (default 64) post this image without pause for --duration
                            seconds, ignoring Retry-After; the statuses are counted, none is an error (the normal client
                            is an ordinary run in another process: build/loadtest.sh --flood)
          --server-pid      in flood mode, the server's process id: its RSS before, at peak, and --after seconds (default
                            60) after the flood
          --make-png        write MNIST test image --index (default 0) from --mnist DIR as a PNG, print its label
          --size            the PNG's width and height, 28 (default) to 8192: larger is the digit scaled up bilinearly
          --trivial-server  serve POST /api/digits with almost no work on 127.0.0.1:PORT, until stopped
        Prints one line per client count:
          clients=N requests=N seconds=S rps=R p50_ms=MS p99_ms=MS errors=N connections=N client_cpu_us_per_request=US
        or, in flood mode:
          flood_requests=N flood_200=N flood_400=N flood_429=N flood_503=N flood_other=N flood_failed=N rss_before_mb=MB
          rss_peak_mb=MB rss_after_mb=MB after_s=S
        Exit status: 0 all requests answered 2xx (flood mode: some answer came); 1 errors, or the answer check failed; 2 wrong usage.
        """;

    public Uri? Url { get; init; }
    public string? Png { get; init; }
    public IReadOnlyList<int> Clients { get; init; } = [1, 8, 64];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public long MaxRequests { get; init; } = 1_000_000;
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public int? ExpectDigit { get; init; }
    public bool CheckAnswer { get; init; } = true;
    public string? MakePng { get; init; }
    public string? Mnist { get; init; }
    public int Index { get; init; }
    public bool TrivialServer { get; init; }
    public int? Port { get; init; }
    public bool Help { get; init; }
    public string? FloodPng { get; init; }
    public int FloodClients { get; init; } = 64;
    public int? ServerPid { get; init; }
    public TimeSpan After { get; init; } = TimeSpan.FromSeconds(60);
    public int Size { get; init; } = 28;

    /// <summary>Parses <paramref name="args"/>; on wrong usage returns null and the one-line reason in
    /// <paramref name="error"/>.</summary>
    public static LoadTestOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var o = new LoadTestOptions();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string option = args[i];
            switch (option)
            {
                case "-h" or "--help": return o with { Help = true };
                case "--no-answer-check": o = o with { CheckAnswer = false }; continue;
                case "--trivial-server": o = o with { TrivialServer = true }; continue;
            }
            if (!option.StartsWith("--", StringComparison.Ordinal))
                return Refuse($"unexpected argument '{option}'", out error);
            if (i + 1 == args.Count)
                return Refuse($"{option} needs a value", out error);
            string value = args[++i];
            switch (option)
            {
                case "--url":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                        return Refuse($"--url needs an absolute http or https URL, not '{value}'", out error);
                    o = o with { Url = url };
                    break;
                case "--png": o = o with { Png = value }; break;
                case "--make-png": o = o with { MakePng = value }; break;
                case "--mnist": o = o with { Mnist = value }; break;
                case "--clients":
                    var counts = new List<int>();
                    foreach (string part in value.Split(','))
                    {
                        if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int c) || c is < 1 or > 10_000)
                            return Refuse($"--clients needs comma-separated whole numbers from 1 to 10000, not '{value}'", out error);
                        counts.Add(c);
                    }
                    o = o with { Clients = counts };
                    break;
                case "--flood-png": o = o with { FloodPng = value }; break;
                case "--flood-clients" or "--server-pid" or "--size":
                    (int low, int high) = option switch { "--flood-clients" => (1, 10_000), "--size" => (28, 8192), _ => (1, int.MaxValue) };
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < low || n > high)
                        return Refuse($"{option} needs a whole number from {low} to {high}, not '{value}'", out error);
                    o = option switch
                    {
                        "--flood-clients" => o with { FloodClients = n },
                        "--size" => o with { Size = n },
                        _ => o with { ServerPid = n },
                    };
                    break;
                case "--after": if (!Seconds(option, value, true, out var after, out error)) return null; o = o with { After = after }; break;
                case "--duration": if (!Seconds(option, value, false, out var duration, out error)) return null; o = o with { Duration = duration }; break;
                case "--warmup": if (!Seconds(option, value, true, out var warmup, out error)) return null; o = o with { Warmup = warmup }; break;
                case "--timeout": if (!Seconds(option, value, false, out var timeout, out error)) return null; o = o with { Timeout = timeout }; break;
                case "--max-requests":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long max) || max < 1)
                        return Refuse($"--max-requests needs a whole number of at least 1, not '{value}'", out error);
                    o = o with { MaxRequests = max };
                    break;
                case "--expect-digit":
                    if (value.Length != 1 || value[0] is < '0' or > '9')
                        return Refuse($"--expect-digit needs one digit from 0 to 9, not '{value}'", out error);
                    o = o with { ExpectDigit = value[0] - '0' };
                    break;
                case "--index":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                        return Refuse($"--index needs a whole number, not '{value}'", out error);
                    o = o with { Index = index };
                    break;
                case "--port":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
                        return Refuse($"--port needs a port number from 0 to 65535, not '{value}'", out error);
                    o = o with { Port = port };
                    break;
                default: return Refuse($"unknown option '{option}'", out error);
            }
        }
        return o.Check(out error) ? o : null;
    }

    // Which of the three uses was asked for, and whether it has what it needs and nothing of another.
    private bool Check(out string? error)
    {
        error = null;
        int modes = (MakePng is not null ? 1 : 0) + (TrivialServer ? 1 : 0) + (Url is not null || Png is not null || FloodPng is not null ? 1 : 0);
        if (modes != 1)
            error = modes == 0 ? "give --url and --png, --make-png, or --trivial-server" : "give only one of --url/--png, --make-png and --trivial-server";
        else if (MakePng is not null && Mnist is null)
            error = "--make-png needs --mnist DIR (the folder with t10k-images-idx3-ubyte)";
        else if (TrivialServer && Port is null)
            error = "--trivial-server needs --port PORT";
        else if (Url is not null && Png is null && FloodPng is null)
            error = "--url needs --png FILE, the image to post";
        else if (Png is not null && Url is null)
            error = "--png needs --url URL, the endpoint to post to";
        else if (FloodPng is not null && (Url is null || Png is not null))
            error = "--flood-png needs --url URL and no --png (the normal client is another run)";
        else if (ServerPid is not null && FloodPng is null)
            error = "--server-pid is read in flood mode only: give --flood-png FILE too";
        else if (ExpectDigit is not null && !CheckAnswer)
            error = "--expect-digit and --no-answer-check contradict each other";
        return error is null;
    }

    private static bool Seconds(string option, string value, bool zeroAllowed, out TimeSpan seconds, out string? error)
    {
        seconds = TimeSpan.Zero;
        error = null;
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double s)
            && (s > 0 || (zeroAllowed && s == 0)) && s <= 86_400)
        {
            seconds = TimeSpan.FromSeconds(s);
            return true;
        }
        error = $"{option} needs {(zeroAllowed ? "0 or more" : "more than 0")} seconds (at most 86400), not '{value}'";
        return false;
    }

    private static LoadTestOptions? Refuse(string reason, out string? error)
    {
        error = reason;
        return null;
    }
}
