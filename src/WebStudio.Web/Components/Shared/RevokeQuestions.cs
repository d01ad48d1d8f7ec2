using MudBlazor;

namespace WebStudio.Web.Components.Shared;

/// <summary>
/// Revoking a share link or an API key cannot be undone (a new one has a new address or secret), so the pages ask
/// first, in the same words wherever the button is.
/// </summary>
internal static class RevokeQuestions
{
    public static Task<bool> ShareLinkAsync(IDialogService dialogs) =>
        AskAsync(dialogs, "Revoke this link?",
            "Whoever has it will see \"not found\" from then on. A revoked link cannot be restored: a new link has a new address.");

    public static Task<bool> ApiKeyAsync(IDialogService dialogs, string name) =>
        AskAsync(dialogs, $"Revoke the key '{name}'?",
            "Programs that use it are refused from then on. A revoked key cannot be restored: make a new one for them.");

    private static async Task<bool> AskAsync(IDialogService dialogs, string title, string message) =>
        await dialogs.ShowMessageBoxAsync(title, message, yesText: "Revoke", cancelText: "Cancel") == true;
}
