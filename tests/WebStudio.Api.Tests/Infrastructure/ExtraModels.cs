using WebStudio.Testing.TinyModels;

namespace WebStudio.Api.Tests.Infrastructure;

/// <summary>Tiny models written beside the fixture's one: the catalogue reads the models folder on each call.</summary>
internal static class ExtraModels
{
    /// <summary>Writes <paramref name="variant"/> as the model <paramref name="name"/> in <paramref name="server"/>'s models folder, once.</summary>
    public static void WriteOnce(StudioHost server, string name, TinyModelVariant variant)
    {
        var folder = Path.Combine(server.ModelsPath, name);
        lock (server)
        {
            if (!Directory.Exists(folder))
            {
                TinyStableDiffusion.Write(folder, variant);
            }
        }
    }
}
