using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace WebStudio.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AddTeamAdmin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Target = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Details = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Invitations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedById = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UsedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Invitations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RolePolicies",
                columns: table => new
                {
                    Role = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CanGenerate = table.Column<bool>(type: "boolean", nullable: false),
                    AllowedModels = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    MaxSide = table.Column<int>(type: "integer", nullable: true),
                    MaxSteps = table.Column<int>(type: "integer", nullable: true),
                    MaxBatch = table.Column<int>(type: "integer", nullable: true),
                    CanUseApi = table.Column<bool>(type: "boolean", nullable: false),
                    CanShare = table.Column<bool>(type: "boolean", nullable: false),
                    CanUpscale = table.Column<bool>(type: "boolean", nullable: false),
                    ImagesPerDay = table.Column<int>(type: "integer", nullable: true),
                    GpuSecondsPerDay = table.Column<int>(type: "integer", nullable: true),
                    MaxQueued = table.Column<int>(type: "integer", nullable: true),
                    SubmissionsPerMinute = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RolePolicies", x => x.Role);
                });

            migrationBuilder.CreateTable(
                name: "UserQuotas",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ImagesPerDay = table.Column<int>(type: "integer", nullable: true),
                    GpuSecondsPerDay = table.Column<int>(type: "integer", nullable: true),
                    MaxQueued = table.Column<int>(type: "integer", nullable: true),
                    SubmissionsPerMinute = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserQuotas", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_UserQuotas_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "RolePolicies",
                columns: new[] { "Role", "AllowedModels", "CanGenerate", "CanShare", "CanUpscale", "CanUseApi", "GpuSecondsPerDay", "ImagesPerDay", "MaxBatch", "MaxQueued", "MaxSide", "MaxSteps", "SubmissionsPerMinute" },
                values: new object[,]
                {
                    { "Admin", "", true, true, true, true, null, null, null, null, null, null, null },
                    { "Member", "", true, true, true, true, null, null, null, null, null, null, null },
                    { "Viewer", "", false, false, false, false, null, null, null, null, null, null, null }
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_At",
                table: "AuditLog",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_Invitations_TokenHash",
                table: "Invitations",
                column: "TokenHash",
                unique: true);

            // The audit log is append-only: the database itself refuses to change or remove an entry.
            migrationBuilder.Sql("CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$;");
            migrationBuilder.Sql("CREATE TRIGGER tr_audit_log_append_only BEFORE UPDATE OR DELETE ON \"AuditLog\" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS tr_audit_log_append_only ON \"AuditLog\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS audit_log_append_only();");

            migrationBuilder.DropTable(
                name: "AuditLog");

            migrationBuilder.DropTable(
                name: "Invitations");

            migrationBuilder.DropTable(
                name: "RolePolicies");

            migrationBuilder.DropTable(
                name: "UserQuotas");
        }
    }
}
