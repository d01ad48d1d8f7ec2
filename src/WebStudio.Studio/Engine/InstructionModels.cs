using WebStudio.Studio.Jobs;

namespace WebStudio.Studio.Engine;

/// <summary>
/// Which kind of job a model runs (issue 22): an instruction edit needs a model that edits by instruction, and such a
/// model makes nothing from text alone. The refusal names an installed model that fits, so the user can switch.
/// </summary>
public static class InstructionModels
{
    /// <summary>The problem with running <paramref name="spec"/> on its model, or null when the kinds agree (or the
    /// model is unknown: that has its own message).</summary>
    public static FieldProblem? Check(JobSpec.Diffusion spec, IReadOnlyList<EngineModel> models)
    {
        if (models.FirstOrDefault(m => string.Equals(m.Name, spec.Model, StringComparison.Ordinal)) is not { } model)
        {
            return null;
        }

        if (spec is JobSpec.InstructEdit && !model.EditsByInstruction)
        {
            return new FieldProblem("model", $"'{model.Name}' does not edit by instruction; {Suggest(models, editsByInstruction: true)}");
        }

        if (spec is JobSpec.Txt2Img && model.EditsByInstruction)
        {
            return new FieldProblem("model",
                $"'{model.Name}' edits by instruction: it changes an image you give it and cannot make one from text alone; {Suggest(models, editsByInstruction: false)}");
        }

        return null;
    }

    /// <summary>The model a form for making or repainting images starts on: the configured default where it is such a
    /// model, else the first text-to-image model installed (an instruction model makes no image from a prompt), else
    /// the configured name, which then answers with its own message.</summary>
    public static string DefaultTextModel(IReadOnlyList<EngineModel> models, string configured) =>
        models.Any(m => m.Name == configured && !m.EditsByInstruction) ? configured
            : First(models, editsByInstruction: false)?.Name ?? configured;

    /// <summary>As <see cref="DefaultTextModel(IReadOnlyList{EngineModel}, string)"/>, among the models a role
    /// <paramref name="allows"/> (TeamPolicy.AllowsModel): the configured default where the role may use it, else the
    /// first text-to-image model it may, else the configured name, which a submission then refuses in words.</summary>
    public static string DefaultTextModel(IReadOnlyList<EngineModel> models, string configured, Func<string, bool> allows) =>
        DefaultTextModel([.. models.Where(m => allows(m.Name))], configured);

    /// <summary>The first installed model of the kind asked for, or null.</summary>
    public static EngineModel? First(IReadOnlyList<EngineModel> models, bool editsByInstruction) =>
        models.FirstOrDefault(m => m.EditsByInstruction == editsByInstruction);

    private static string Suggest(IReadOnlyList<EngineModel> models, bool editsByInstruction) =>
        (First(models, editsByInstruction), editsByInstruction) switch
        {
            ({ } fit, true) => $"choose an instruction model such as '{fit.Name}'",
            (null, true) => "no instruction model is installed (an InstructPix2Pix-format folder under models/)",
            ({ } fit, false) => $"choose a text-to-image model such as '{fit.Name}'",
            (null, false) => "no text-to-image model is installed",
        };
}
