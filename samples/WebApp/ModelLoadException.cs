// ModelLoadException.cs — the model named in configuration cannot be used; its message is the one line a user sees.
namespace DigitsML.WebApp;

/// <summary>The model file is missing, does not load, or does not score the ten digits; the message names the file and
/// what to do, in one line.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
