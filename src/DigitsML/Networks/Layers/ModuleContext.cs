// ModuleContext.cs — what a network shares among the modules its layers build.
using static TorchSharp.torch;

namespace DigitsML.Networks;

/// <summary>Shared by the modules of one network: the generator its dropout layers draw their masks from (on the
/// network's device, seeded from the network's seed, saved in checkpoints), so two networks never disturb each other's
/// random streams and a resumed run draws the masks an uninterrupted one would.</summary>
internal sealed record ModuleContext(Generator Dropout);
