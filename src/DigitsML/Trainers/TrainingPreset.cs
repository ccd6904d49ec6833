// TrainingPreset.cs — one row of TrainingPresets.ByName: a named recipe, how many networks it trains, and what it is for.
namespace DigitsML.Trainers;

/// <summary>A named recipe of <see cref="TrainingPresets.ByName"/>.</summary>
/// <param name="Name">The name <c>digits train --preset</c> takes, e.g. "record-5min".</param>
/// <param name="Options">The recipe.</param>
/// <param name="Members">Networks trained with it, with seeds Seed, Seed + 1, ...; more than 1 makes a soft-voting
/// ensemble (<c>Trainers.VotingEnsemble(Options, Members)</c>).</param>
/// <param name="Description">What it is for, in one phrase (for help texts).</param>
public sealed record TrainingPreset(string Name, CnnTrainer.Options Options, int Members, string Description);
