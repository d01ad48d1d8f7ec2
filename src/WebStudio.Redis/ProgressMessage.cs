using System.Buffers.Binary;
using WebStudio.Data;

namespace WebStudio.Redis;

/// <summary>
/// One progress report on the wire: a version byte, the status, the step and the step count, the time it was sent
/// (Unix milliseconds, for the fan-out latency), then the preview PNG (if any) as the rest. Binary, so that a frame
/// costs its PNG and 18 bytes, not a base64 string.
/// </summary>
public sealed record ProgressMessage(JobStatus Status, int Step, int TotalSteps, byte[]? Png, long SentAtMs)
{
    private const byte Version = 2;
    private const int HeaderLength = 18;

    public byte[] Encode()
    {
        var bytes = new byte[HeaderLength + (Png?.Length ?? 0)];
        bytes[0] = Version;
        bytes[1] = (byte)Status;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), Step);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(6), TotalSteps);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(10), SentAtMs);
        Png?.CopyTo(bytes, HeaderLength);
        return bytes;
    }

    /// <summary>The message, or null for bytes that are not one (another version, or not ours).</summary>
    public static ProgressMessage? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength || bytes[0] != Version || !Enum.IsDefined((JobStatus)bytes[1]))
        {
            return null;
        }

        var png = bytes.Length > HeaderLength ? bytes[HeaderLength..].ToArray() : null;
        return new ProgressMessage((JobStatus)bytes[1], BinaryPrimitives.ReadInt32LittleEndian(bytes[2..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[6..]), png,
            BinaryPrimitives.ReadInt64LittleEndian(bytes[10..]));
    }
}
