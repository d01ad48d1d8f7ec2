using WebStudio.Generation.Models;
using WebStudio.Generation.Tests.Pipelines;
using WebStudio.Testing.TinyModels;

namespace WebStudio.Generation.Tests.Models;

[Collection(TinyModelCollection.Name)]
public class ModelCacheTests(TinyModelFolders models)
{
    private ModelCache NewCache(string root, int max)
    {
        models.Write(TinyModelVariant.DiffusersScript, Path.Combine(root, "a"));
        models.Write(TinyModelVariant.Optimum, Path.Combine(root, "b"));
        models.Write(TinyModelVariant.OnnxStack, Path.Combine(root, "c"));
        return new ModelCache(new ModelCatalog(Path.Combine(models.Root, root)), new ModelLoadOptions { UseCuda = false }, maxLoadedModels: max);
    }

    [Fact]
    public void A_model_is_loaded_once_and_shared()
    {
        using var cache = NewCache("cache1", 2);
        using var first = cache.Rent("a");
        using var second = cache.Rent("a");
        Assert.Same(first.Model, second.Model);
    }

    [Fact]
    public void The_least_recently_used_model_is_dropped_and_reloaded_on_demand()
    {
        using var cache = NewCache("cache2", 2);
        StableDiffusionModel a;
        using (var lease = cache.Rent("a"))
        {
            a = lease.Model;
        }

        cache.Rent("b").Dispose();
        cache.Rent("c").Dispose();
        Assert.Equal(["c", "b"], cache.Loaded);

        using var again = cache.Rent("a");
        Assert.NotSame(a, again.Model);
        Assert.Equal(["a", "c"], cache.Loaded);
    }

    [Fact]
    public void A_models_load_time_is_known_while_it_is_loaded()
    {
        using var cache = NewCache("cache-load-time", 1);
        Assert.Null(cache.LoadTimeOf("a"));

        cache.Rent("a").Dispose();
        var loaded = cache.LoadTimeOf("a");
        cache.Rent("b").Dispose(); // evicts "a"

        Assert.NotNull(loaded);
        Assert.True(loaded > TimeSpan.Zero);
        Assert.Null(cache.LoadTimeOf("a"));
        Assert.NotNull(cache.LoadTimeOf("b"));
    }

    [Fact]
    public async Task A_rented_model_stays_usable_while_it_is_evicted()
    {
        using var cache = NewCache("cache3", 1);
        using var lease = cache.Rent("a");
        cache.Rent("b").Dispose(); // evicts "a", but the lease still holds it
        var pipeline = new WebStudio.Generation.Pipelines.StableDiffusionPipeline(lease.Model);
        using var result = await pipeline.RunAsync(new() { Prompt = "x", Steps = 2, Width = 64, Height = 64, Scheduler = "Euler" });
        Assert.Single(result.Images);
    }

    [Fact]
    public void An_unknown_model_is_reported_as_such()
    {
        using var cache = NewCache("cache4", 2);
        Assert.Throws<ModelNotFoundException>(() => cache.Rent("../cache1/a"));
    }
}
