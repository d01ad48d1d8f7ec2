using System.Text;
using Microsoft.AspNetCore.Identity;
using WebStudio.Data;
using WebStudio.Studio.Team;

namespace WebStudio.Web.Admin;

/// <summary>
/// One-time links an administrator hands out: a password reset (Identity's reset token, which the reset itself
/// spends, because it renews the account's security stamp) and an invitation to register.
/// </summary>
public sealed class AccountLinks(UserManager<StudioUser> users, Invitations invitations, AuditLog audit)
{
    public const string ResetPath = "/Account/ResetPassword";

    /// <returns>The link's path and query, or null when there is no such account.</returns>
    public async Task<string?> PasswordResetAsync(Actor actor, string userId)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return null;
        }

        var code = await users.GeneratePasswordResetTokenAsync(user);
        await audit.AppendAsync(actor, AuditActions.PasswordReset, user.Email ?? user.Id, "one-time reset link made");
        return $"{ResetPath}?link={Uri.EscapeDataString(Pack(user.Id, code))}";
    }

    public async Task<string> InvitationAsync(Actor actor, string role) =>
        $"/Account/Register?invite={Uri.EscapeDataString(await invitations.CreateAsync(actor, role))}";

    /// <summary>The account and token a reset link carries, or null for a malformed link.</summary>
    public static (string UserId, string Code)? Unpack(string? link)
    {
        try
        {
            var text = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(link ?? ""));
            var colon = text.IndexOf(':');
            return colon > 0 ? (text[..colon], text[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Pack(string userId, string code) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{userId}:{code}"));
}
