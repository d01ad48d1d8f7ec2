using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebStudio.Data;

/// <summary>
/// What the model needs on PostgreSQL on top of the shared configurations. Kept here, in one place, so that the
/// SQLite model (and so its migrations) stays exactly as it was.
/// </summary>
internal static class PostgresModel
{
    /// <summary>
    /// timestamptz takes UTC values only. The studio means UTC everywhere, so a value without a kind (a default, or
    /// one read back from SQLite) is stored as UTC rather than refused; reads come back as UTC.
    /// </summary>
    private static readonly ValueConverter<DateTime, DateTime> Utc = new(
        v => v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    public static void Apply(ModelBuilder builder)
    {
        // PostgreSQL folds unquoted names to lower case, so its constraint names the columns in quotes; SQLite keeps
        // the text its migrations created.
        builder.Entity<ShareLink>().ToTable(t => t.HasCheckConstraint("CK_ShareLinks_OneTarget", "(\"GalleryId\" IS NULL) <> (\"ImageId\" IS NULL)"));

        foreach (var property in builder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.ClrType == typeof(DateTime) || property.ClrType == typeof(DateTime?))
            {
                property.SetValueConverter(Utc);
            }
        }
    }
}
