// Recipe.cs — a resolved training recipe (the preset and every flag applied): the lines `digits train` prints before
// training, and the names of optimizers and schedules as the flags spell them.
using System.Reflection;
using System.Text.Json.Serialization;
using DigitsML.Networks;
using DigitsML.Trainers;

namespace DigitsML.Cli;

/// <param name="Members">Networks trained with <paramref name="Options"/> (seeds Seed, Seed + 1, ...); more than 1 makes a
/// soft-voting ensemble of them.</param>
internal sealed record Recipe(string Preset, CnnTrainer.Options Options, int Members = 1)
{
    /// <summary>The lines `digits train` prints before training: the recipe's one-line description (every setting that
    /// shapes the result) and, for an ensemble, its members.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"recipe ({Preset} preset): {Options.Describe()}";
        if (Members > 1)
            yield return $"  {Members} networks, seeds {Options.Seed}–{Options.Seed + Members - 1}, one after another; saved as their soft-voting ensemble";
    }

    /// <summary>The --optimizer or --schedule name of <paramref name="setting"/>: its JSON "kind" (the
    /// <see cref="JsonDerivedTypeAttribute"/> discriminator its base type declares), lower-cased — "sgd", "adamw",
    /// "onecycle" — so the flag's words and the recipe's JSON are one naming.</summary>
    public static string Name<T>(T setting) where T : class =>
        typeof(T).GetCustomAttributes<JsonDerivedTypeAttribute>().FirstOrDefault(a => a.DerivedType == setting.GetType())
            ?.TypeDiscriminator is string kind ? kind.ToLowerInvariant() : setting.GetType().Name;
}
