// ScoreRow.cs — a scored row as the commands read it: the class probabilities only.
namespace DigitsML.Cli;

internal sealed class ScoreRow
{
    public float[] Score { get; set; } = [];
}
