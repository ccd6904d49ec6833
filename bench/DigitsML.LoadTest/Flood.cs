// Flood.cs — the flood mode's command: runs FloodRunner and prints the flood's result line.
namespace DigitsML.LoadTest;

internal static class Flood
{
    /// <summary>Runs the flood; the exit status is 0 when it ran (its refusals are the point, not errors), 1 when no
    /// flood request got an answer at all.</summary>
    public static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancel)
    {
        byte[] body = File.ReadAllBytes(options.FloodPng!);
        var plan = new FloodPlan(options.Url!, body, options.FloodClients, options.Duration, options.Timeout, options.After);
        Console.Error.WriteLine($"flood: {plan.Clients} clients posting {body.Length:N0} bytes each without pause for " +
                                $"{plan.Duration.TotalSeconds:0.#} s");
        FloodResult flood = await FloodRunner.RunAsync(plan, options.ServerPid, cancel);
        Console.WriteLine(flood.ToLine());
        if (flood.Failures.Count > 0)
            Console.Error.WriteLine($"flood requests without an answer: {string.Join("; ", flood.Failures.Select(f => $"{f.Value} × {f.Key}"))}");
        return flood.Statuses.Count > 0 ? 0 : 1;
    }
}
