using Microsoft.Extensions.Options;
using WebStudio.Studio.Engine;
using WebStudio.Studio.Options;
using WebStudio.Studio.Workers;

namespace WebStudio.Web.Tests.Queue;

/// <summary>The heartbeats' model list is listed once and again only when the models folder changes.</summary>
[Trait("Capability", "ScaleOut")]
public sealed class WorkerModelListTests
{
    [Fact]
    public async Task The_models_are_listed_once_until_the_models_folder_changes()
    {
        using var folder = new TempFolder();
        var engine = new CountingEngine(folder.Path);
        using var list = new WorkerModelList(engine, Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = folder.Path }));
        Directory.CreateDirectory(Path.Combine(folder.Path, "first"));

        Assert.Equal(["first"], list.Names);
        Assert.Equal(["first"], list.Names);
        Assert.Equal(["first"], list.Names);
        Assert.Equal(1, engine.Listings);

        Directory.CreateDirectory(Path.Combine(folder.Path, "second"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (list.Names.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the new model folder never showed");
            await Task.Delay(20);
        }

        Assert.Equal(["first", "second"], list.Names);
        var listings = engine.Listings;
        Assert.Equal(["first", "second"], list.Names);
        Assert.Equal(listings, engine.Listings);
    }

    [Fact]
    public void Without_a_models_folder_the_models_are_listed_on_every_read()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "none");
        var engine = new CountingEngine(missing);
        using var list = new WorkerModelList(engine, Microsoft.Extensions.Options.Options.Create(new GenerationOptions { ModelsPath = missing }));

        Assert.Empty(list.Names);
        Assert.Empty(list.Names);
        Assert.Equal(2, engine.Listings);
    }

    // The model folders' names, counting how often they are listed.
    private sealed class CountingEngine(string folder) : IGenerationEngine
    {
        private int _listings;

        public int Listings => Volatile.Read(ref _listings);

        public int DeviceCount => 1;

        public IReadOnlyList<string> Schedulers => [];

        public string DescribeExecutionProvider() => "CPU";

        public IReadOnlyList<EngineModel> Models()
        {
            Interlocked.Increment(ref _listings);
            return Directory.Exists(folder)
                ? Directory.GetDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(name => new EngineModel(name!, 64, 64)).ToList()
                : [];
        }

        public IReadOnlyList<FieldProblem> Validate(DiffusionRun run) => [];

        public PromptLength? MeasurePrompt(string model, string prompt, int steps) => null;

        public Task<IReadOnlyList<EngineImage>> RunAsync(DiffusionRun run, Func<EngineStep, bool> onStep, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
