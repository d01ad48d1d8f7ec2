using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WebStudio.Web.Options;
using WebStudio.Studio.Options;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>
/// URLs for <c>response_format=url</c>: the image id, format and expiry signed with HMAC-SHA256 under a server
/// secret kept in the data folder (beside the database), so links survive restarts and cannot be forged or
/// extended. They expire after <see cref="Lifetime"/> and need no login.
/// </summary>
public sealed class SignedImageUrls
{
    public const string Route = "/v1/files/images";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(60);

    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    public SignedImageUrls(IOptions<StudioOptions> options, TimeProvider time)
    {
        _time = time;
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.Value.DatabasePath))!;
        _secret = LoadOrCreateSecret(Path.Combine(folder, "api-url-secret.key"));
    }

    public string Create(HttpRequest request, Guid imageId, string format, int? compression)
    {
        var expires = _time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var query = Query(format, compression, expires);
        return $"{request.Scheme}://{request.Host}{request.PathBase}{Route}/{imageId:N}?{query}&sig={Sign(imageId, query)}";
    }

    /// <summary>True when <paramref name="signature"/> is ours for these values and the link has not expired.</summary>
    public bool Verify(Guid imageId, string format, int? compression, long expires, string signature)
    {
        if (_time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(imageId, Query(format, compression, expires)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private static string Query(string format, int? compression, long expires) => string.Create(CultureInfo.InvariantCulture,
        $"format={format}{(compression is { } c ? $"&compression={c}" : "")}&expires={expires}");

    private string Sign(Guid imageId, string query) =>
        System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes($"{imageId:N}?{query}")));

    // Created once with a random 256-bit value; a concurrent first start keeps whichever file was written first.
    private static byte[] LoadOrCreateSecret(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temp);
            }
        }

        var secret = File.ReadAllBytes(path);
        return secret.Length >= 32 ? secret : throw new InvalidOperationException($"The URL signing secret {path} is damaged; delete it to make a new one.");
    }
}
