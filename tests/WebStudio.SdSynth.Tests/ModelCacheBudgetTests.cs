using WebStudio.Generation.Models;

namespace WebStudio.SdSynth.Tests;

/// <summary>The model cache's memory budget, estimated from the files of the miniature SD folders.</summary>
[Collection(MiniatureCollection.Name)]
public class ModelCacheBudgetTests(MiniatureFolders folders)
{
    private static readonly ModelLoadOptions CpuOnly = new() { UseCuda = false };

    [Fact]
    public void The_estimate_is_the_size_of_the_graphs_and_their_external_data()
    {
        var folder = folders.Get(fp16: false).Folder;
        var graphs = Directory.GetFiles(folder, "model.onnx*", SearchOption.AllDirectories).Sum(p => new FileInfo(p).Length);

        Assert.Equal(graphs, ModelCache.EstimateBytes(folder));
        Assert.Equal(folders.Get(fp16: false).Report.Components.Sum(c => c.Bytes), graphs);
    }

    [Fact]
    public void Models_beyond_the_budget_are_unloaded_least_recently_used_first_and_reload_on_demand()
    {
        var root = Catalog("budget-tight");
        var budget = ModelCache.EstimateBytes(Path.Combine(root, "a")) + ModelCache.EstimateBytes(Path.Combine(root, "b")) - 1;
        using var cache = new ModelCache(new ModelCatalog(root), CpuOnly, maxLoadedModels: 5, memoryBudgetBytes: budget);

        StableDiffusionModel first;
        using (var lease = cache.Rent("a"))
        {
            first = lease.Model;
        }

        cache.Rent("b").Dispose();
        Assert.Equal(["b"], cache.Loaded);

        using var again = cache.Rent("a");
        Assert.NotSame(first, again.Model);
        Assert.Equal(["a"], cache.Loaded);
    }

    [Fact]
    public void Models_that_fit_stay_loaded_and_one_over_the_budget_still_loads()
    {
        var root = Catalog("budget-roomy");
        var both = ModelCache.EstimateBytes(Path.Combine(root, "a")) + ModelCache.EstimateBytes(Path.Combine(root, "b"));
        using (var roomy = new ModelCache(new ModelCatalog(root), CpuOnly, maxLoadedModels: 5, memoryBudgetBytes: both))
        {
            roomy.Rent("a").Dispose();
            roomy.Rent("b").Dispose();
            Assert.Equal(["b", "a"], roomy.Loaded);
        }

        using var tiny = new ModelCache(new ModelCatalog(root), CpuOnly, memoryBudgetBytes: 1);
        using var lease = tiny.Rent("a");
        Assert.Equal(["a"], tiny.Loaded);
    }

    /// <summary>A models directory holding the fp32 miniature as "a" and the fp16 one as "b".</summary>
    private string Catalog(string name)
    {
        var root = Path.Combine(folders.Root, name);
        if (!Directory.Exists(root))
        {
            Directory.Move(folders.Copy(fp16: false, name + "-a"), Path.Combine(Directory.CreateDirectory(root).FullName, "a"));
            Directory.Move(folders.Copy(fp16: true, name + "-b"), Path.Combine(root, "b"));
        }

        return root;
    }
}
