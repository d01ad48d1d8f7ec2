namespace WebStudio.Generation.Models;

/// <summary>A model folder that cannot be used: a missing or malformed file, or a graph whose inputs don't match.
/// The message always names the file (and the input or output) at fault.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string message) : base(message)
    {
    }

    public ModelLoadException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>A model name that is not in the catalogue, or that tries to leave the models directory.</summary>
public sealed class ModelNotFoundException : Exception
{
    public ModelNotFoundException(string name)
        : base($"Unknown model '{name}'.")
    {
        ModelName = name;
    }

    public string ModelName { get; }
}
