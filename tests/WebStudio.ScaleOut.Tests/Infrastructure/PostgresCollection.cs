namespace WebStudio.ScaleOut.Tests.Infrastructure;

/// <summary>One PostgreSQL server for the whole assembly: every test class that needs it joins this collection.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
