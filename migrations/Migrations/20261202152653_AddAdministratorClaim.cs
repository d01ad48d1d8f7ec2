using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebStudio.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddAdministratorClaim : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdministratorClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdministratorClaims", x => x.Id);
                    table.CheckConstraint("CK_AdministratorClaims_OnlyOne", "\"Id\" = 1");
                    table.ForeignKey(
                        name: "FK_AdministratorClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdministratorClaims_UserId",
                table: "AdministratorClaims",
                column: "UserId");

            // A studio that already has its administrator records the claim, so no later registration takes it.
            migrationBuilder.Sql("INSERT INTO \"AdministratorClaims\" (\"Id\", \"UserId\") " +
                "SELECT 1, MIN(\"AspNetUserRoles\".\"UserId\") FROM \"AspNetUserRoles\" " +
                "JOIN \"AspNetRoles\" ON \"AspNetRoles\".\"Id\" = \"AspNetUserRoles\".\"RoleId\" " +
                "WHERE \"AspNetRoles\".\"NormalizedName\" = 'ADMIN' HAVING COUNT(*) > 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdministratorClaims");
        }
    }
}
