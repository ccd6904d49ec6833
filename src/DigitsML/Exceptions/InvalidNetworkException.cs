// InvalidNetworkException.cs — a layer list that cannot work on its input shape.
namespace DigitsML;

/// <summary>A network definition was refused before any native call: the message names the layer,
/// its position and the shapes that do not fit.</summary>
public sealed class InvalidNetworkException : DigitsMLException
{
    /// <summary>Creates the exception with a message naming the layer and shapes.</summary>
    public InvalidNetworkException(string message) : base(message) { }
}
