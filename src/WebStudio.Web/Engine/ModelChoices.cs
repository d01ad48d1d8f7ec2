using WebStudio.Studio.Engine;

namespace WebStudio.Web.Engine;

/// <summary>
/// How the Generate and Edit forms offer the installed models: an instruction model (it makes no image from a prompt)
/// and one the user's role may not use (TeamPolicy.AllowsModel) are listed greyed out with the reason, as the queue
/// would refuse them, and a form starts on a model it may use.
/// </summary>
public static class ModelChoices
{
    public static bool Usable(EngineModel model, Func<string, bool> allows) => !model.EditsByInstruction && allows(model.Name);

    public static string Label(EngineModel model, Func<string, bool> allows) =>
        model.EditsByInstruction ? $"{model.Name} (edits by instruction: use Refine)"
        : allows(model.Name) ? model.Name
        : $"{model.Name} (not for your role)";

    /// <summary>The studio's default model where the role may use it, else the first text-to-image model it may; the
    /// default itself when there is none (a submission then says why).</summary>
    public static string Default(IReadOnlyList<EngineModel> models, string configured, Func<string, bool> allows) =>
        InstructionModels.DefaultTextModel(models, configured, allows);
}
