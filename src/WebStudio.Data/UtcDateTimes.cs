using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebStudio.Data;

/// <summary>
/// The studio means UTC by every <see cref="DateTime"/> it stores. SQLite keeps them as text without a kind, so a
/// value read back was <see cref="DateTimeKind.Unspecified"/>: the API wrote it without its "Z" (a client read it as
/// its own local time), and <c>new DateTimeOffset(value)</c> or <c>ToUniversalTime()</c> took it as the server's local
/// time. PostgreSQL's timestamptz takes UTC values only. So on both providers a value without a kind (a default, or
/// one copied from SQLite) is stored as UTC rather than refused, a local one is converted, and reads come back as UTC.
/// The columns are unchanged, so no migration follows from it.
/// </summary>
internal static class UtcDateTimes
{
    private static readonly ValueConverter<DateTime, DateTime> Utc = new(
        v => v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    public static void Apply(ModelBuilder builder)
    {
        foreach (var property in builder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.ClrType == typeof(DateTime) || property.ClrType == typeof(DateTime?))
            {
                property.SetValueConverter(Utc);
            }
        }
    }
}
