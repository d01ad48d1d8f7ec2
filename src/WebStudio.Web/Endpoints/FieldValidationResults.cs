using WebStudio.Studio;

namespace WebStudio.Web.Endpoints;

/// <summary>A rejected field as the API answers it: 400, problem details whose <c>errors</c> name the field.</summary>
public static class FieldValidationResults
{
    public static IResult ToValidationProblem(this FieldValidationException e) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] }, detail: e.Message);
}
