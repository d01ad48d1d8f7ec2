using MudBlazor;

namespace WebStudio.Web.Components.Shared;

/// <summary>
/// A number field's text that is not a number ("10k", "abc", a seed past 2^63): MudNumericField marks the field "Not a
/// valid number" but binds its type's default, 0 or, for an optional limit, null. A form that went on would submit that
/// value as if typed: a CFG scale of 0, a seed of 0, or a role's quota removed. Each form of number fields sits in a
/// MudForm and asks here before it submits.
/// </summary>
public static class UnreadableNumbers
{
    public const string Message = "a field marked in red does not hold a number: correct it, then try again";

    /// <summary>True when a field of <paramref name="form"/> holds text that is not a number (its conversion error
    /// outlives validation, so the form is not valid until the text is corrected).</summary>
    public static async Task<bool> InAsync(MudForm? form)
    {
        if (form is null)
        {
            return false;
        }

        await form.ValidateAsync();
        return !form.IsValid;
    }
}
