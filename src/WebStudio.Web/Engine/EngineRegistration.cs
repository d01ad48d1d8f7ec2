namespace WebStudio.Web.Engine;

public static class EngineRegistration
{
    /// <summary>The ONNX engine (integration tests replace it with ConfigureTestServices).</summary>
    public static void AddGenerationEngine(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IGenerationEngine, OnnxGenerationEngine>();
}
