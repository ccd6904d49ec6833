// Program.cs — saves the same seeded network to one path again and again, printing "saved N" after each save, until killed.
// Usage: DigitsML.SaveLoop <model path> <seed>. AtomicSaveTests kills it at random moments and checks the file.
using System.Globalization;
using DigitsML.Engine;

if (args.Length != 2 || !ulong.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
{
    Console.Error.WriteLine("usage: DigitsML.SaveLoop <model path> <seed>");
    return 2;
}
using var network = Network.Create(SaveLoopNetwork.Definition, seed: seed);
for (long saves = 1; ; saves++)
{
    NetworkFile.Save(network, args[0]);
    Console.WriteLine($"saved {saves}");
}
