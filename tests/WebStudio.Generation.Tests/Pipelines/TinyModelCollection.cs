using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Pipelines;

/// <summary>Test classes that share one <see cref="TinyModelFolders"/> and its loaded models (xunit wants the definition in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModelFolders>
{
    public const string Name = "tiny models";
}
