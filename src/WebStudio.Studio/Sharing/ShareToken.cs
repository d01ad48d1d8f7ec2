using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WebStudio.Studio.Sharing;

/// <summary>Share tokens: 256 random bits as URL-safe base64 (43 characters); the database keeps only their SHA-256.</summary>
public static class ShareToken
{
    public const int Bytes = 32;

    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>Hashes any text, well-formed or not, so that every lookup does the same work.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
