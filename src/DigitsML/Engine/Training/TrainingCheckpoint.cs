// TrainingCheckpoint.cs — a training run's complete state after an epoch, written atomically and restored for resume.
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using DigitsML.IO;
using DigitsML.Trainers;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DigitsML.Networks;

namespace DigitsML.Engine;

/// <summary>A checkpoint is a model-file container (version, SHA-256 manifest, bounded reading, atomic save) holding
/// <c>checkpoint.json</c> (magic, version, epochs completed, the recipe it belongs to as
/// <see cref="CnnTrainer.Options.ToJson"/> writes it, whether rows were reshuffled, the dropout generator's state and the
/// history so far), the network as in a network file, and <c>optimizer.bin</c> (TorchSharp's own optimizer state
/// format: momentum buffers, Adam moments and step counts, Adadelta accumulators). The shuffling order is not stored: it is replayed from the seed, which
/// gives the same permutation and leaves <see cref="Random"/> in the same state as the uninterrupted run.</summary>
internal static class TrainingCheckpoint
{
    internal const string Magic = "DigitsML training checkpoint";
    internal const int Version = 3;
    internal const string StateEntry = "checkpoint.json";
    internal const string OptimizerEntry = "optimizer.bin";
    internal const string AverageEntry = "average.safetensors";
    internal const string BestEntry = "best.safetensors";

    /// <summary>What a resumed run starts from.</summary>
    internal sealed record Restored(int EpochsCompleted, IReadOnlyList<EpochProgress> History, NetworkTrainer.BestEpoch Best);

    /// <summary>Writes the state after <paramref name="history"/>.Count epochs to <paramref name="path"/> atomically: a
    /// crash while writing leaves the previous checkpoint intact.</summary>
    internal static void Save(string path, Network network, OptimizerHelper optimizer, WeightAverage? average,
        NetworkTrainer.BestEpoch best, TrainingRun run, IReadOnlyList<EpochProgress> history)
    {
        var state = new JsonObject
        {
            ["magic"] = Magic,
            ["version"] = Version,
            ["epochsCompleted"] = history.Count,
            ["recipe"] = run.Recipe.ToJsonNode(),
            ["shuffle"] = run.Shuffle,
            ["dropoutGenerator"] = Convert.ToBase64String(GeneratorState(network.DropoutGenerator)),
            ["history"] = JsonSerializer.SerializeToNode(history),
            ["bestEpoch"] = best.Epoch,
        };
        var entries = new Dictionary<string, byte[]> { [StateEntry] = JsonSerializer.SerializeToUtf8Bytes(state) };
        NetworkSerializer.AddEntries(entries, "", network);
        entries[OptimizerEntry] = OptimizerState(optimizer);
        if (average is not null)
            entries[AverageEntry] = Safetensors.Write(average.GetState());
        if (best.State is not null)
            entries[BestEntry] = Safetensors.Write(best.State);
        ModelArchive.Save(path, entries);
    }

    /// <summary>Loads the checkpoint at <paramref name="path"/> into <paramref name="network"/> and
    /// <paramref name="optimizer"/>, after checking it belongs to this network and recipe.</summary>
    /// <exception cref="FileNotFoundException">There is no checkpoint at the path.</exception>
    /// <exception cref="DataFormatException">The file is not a valid checkpoint.</exception>
    /// <exception cref="ArgumentException">The checkpoint was written for another network or recipe; the message names
    /// the settings that differ.</exception>
    internal static Restored Restore(string path, Network network, OptimizerHelper optimizer, WeightAverage? average,
        TrainingRun run)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint not found: {path}", path);
        IReadOnlyDictionary<string, byte[]> entries;
        using (var file = File.OpenRead(path))
            entries = ModelArchive.Read(file, path);
        if (!entries.TryGetValue(StateEntry, out var json) || !entries.TryGetValue(OptimizerEntry, out var optimizerBytes))
            throw new DataFormatException(path, $"not a training checkpoint: '{StateEntry}' or '{OptimizerEntry}' is missing");
        JsonObject state;
        int epochs;
        byte[] dropoutState;
        int bestEpoch;
        List<EpochProgress> history;
        JsonNode? recipe;
        bool? shuffle;
        try
        {
            state = JsonNode.Parse(json)?.AsObject() ?? throw new DataFormatException(path, $"'{StateEntry}' is not an object");
            if (state["magic"]?.GetValue<string>() != Magic || state["version"]?.GetValue<int>() != Version)
                throw new DataFormatException(path, $"not a version-{Version} DigitsML training checkpoint");
            epochs = state["epochsCompleted"]!.GetValue<int>();
            dropoutState = Convert.FromBase64String(state["dropoutGenerator"]!.GetValue<string>());
            history = state["history"].Deserialize<List<EpochProgress>>() ?? [];
            bestEpoch = state["bestEpoch"]?.GetValue<int>() ?? 0;
            recipe = state["recipe"];
            shuffle = state["shuffle"]?.GetValue<bool>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException
                                      or NullReferenceException)
        {
            throw new DataFormatException(path, $"'{StateEntry}' is not valid ({e.Message})");
        }
        var options = run.Recipe;
        var differences = CnnTrainer.Options.Differences(recipe, options.ToJsonNode());
        if (shuffle != run.Shuffle)
            differences = [.. differences, $"shuffle: {(shuffle is bool b ? b ? "true" : "false" : "absent")} → {(run.Shuffle ? "true" : "false")}"];
        if (differences.Count > 0)
            throw new ArgumentException($"The checkpoint {path} was written by another recipe ({string.Join("; ", differences)}; " +
                                        "checkpoint → this run). Resume with the same options, or start afresh without resuming.");
        if (epochs < 1 || epochs > options.Epochs || history.Count != epochs)
            throw new DataFormatException(path, $"'{StateEntry}' states {epochs} epochs completed with {history.Count} in its history");
        if (bestEpoch < 0 || bestEpoch > epochs || (options.NeedsValidation && bestEpoch == 0))
            throw new DataFormatException(path, $"'{StateEntry}' states best epoch {bestEpoch} of {epochs}");
        foreach (var (needed, entry) in new[] { (average is not null, AverageEntry), (options.SelectBestEpoch, BestEntry) })
            if (needed && !entries.ContainsKey(entry))
                throw new DataFormatException(path, $"'{entry}' is missing");
        var stored = NetworkSerializer.DefinitionFromJson(entries[NetworkSerializer.DefinitionEntry], path);
        if (!NetworkSerializer.DefinitionToJson(stored).AsSpan().SequenceEqual(NetworkSerializer.DefinitionToJson(network.Definition)))
            throw new ArgumentException($"The checkpoint {path} holds network {stored.Name}, not the {network.Definition.Name} being trained.");
        try
        {
            network.SetState(Safetensors.Read(entries[NetworkSerializer.WeightsEntry], path));
            LoadOptimizer(optimizer, optimizerBytes, path);
            average?.SetState(Safetensors.Read(entries[AverageEntry], path));
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(path, $"the stored state does not fit the network or optimizer: {e.Message}");
        }
        try
        {
            using var restoredState = tensor(dropoutState);
            network.DropoutGenerator.set_state(restoredState);
        }
        catch (ExternalException e)
        {
            throw new DataFormatException(path, $"the dropout generator's state is not valid ({TorchCall.Translate("restoring it", e).Message})");
        }
        var best = new NetworkTrainer.BestEpoch();
        if (bestEpoch > 0)
        {
            var figures = history[bestEpoch - 1];
            if (figures.ValidationAccuracy is not double accuracy || figures.ValidationLoss is not double loss)
                throw new DataFormatException(path, $"'{StateEntry}' has no validation figures for its best epoch {bestEpoch}");
            (best.Epoch, best.Accuracy, best.Loss) = (bestEpoch, accuracy, loss);
            if (options.SelectBestEpoch)
                best.State = CheckedState(network, Safetensors.Read(entries[BestEntry], path), path);
        }
        return new Restored(epochs, history, best);
    }

    /// <summary>Checks that <paramref name="state"/> fits <paramref name="network"/> by loading it into a throw-away copy.</summary>
    private static IReadOnlyList<NamedTensor> CheckedState(Network network, IReadOnlyList<NamedTensor> state, string path)
    {
        var expected = network.GetState();
        var byName = state.ToDictionary(t => t.Name);
        foreach (var t in expected)
            if (!byName.TryGetValue(t.Name, out var s) || !s.Shape.SequenceEqual(t.Shape) || s.Data.Length != t.Data.Length)
                throw new DataFormatException(path, $"'{BestEntry}' does not fit {network.Definition.Name}: tensor '{t.Name}' is missing or of another shape");
        return state;
    }

    /// <summary>The generator's state as libtorch serialises it (a byte tensor).</summary>
    private static byte[] GeneratorState(Generator generator)
    {
        using var state = generator.get_state();
        using var host = state.cpu();
        return host.data<byte>().ToArray();
    }

    /// <summary>The optimizer's state in TorchSharp's format (its name, options and per-parameter state).</summary>
    private static byte[] OptimizerState(OptimizerHelper optimizer)
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes))
            optimizer.save_state_dict(writer);
        return bytes.ToArray();
    }

    /// <exception cref="ArgumentException">The stored state is of another optimizer or does not fit the parameters.</exception>
    private static void LoadOptimizer(OptimizerHelper optimizer, byte[] stored, string path)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(stored));
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or FormatException
                                      or ExternalException)
        {
            throw new ArgumentException($"the optimizer state in {path} does not fit this optimizer ({e.Message})");
        }
    }
}
