// The staff console (UI.md, "The staff console") in a browser, by its accessible names, with
// JavaScript on and off: a report verified and disposed by the national admin, disposed down by
// the province's admin, answered with a photo and closed by the unit's officer, reopened from
// above. With JavaScript on, the work list and the report page are photographed into the
// fixture's `screenshots` folder (README's are refreshed with LAPOR_SCREENSHOTS, see there).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";

import { accessible, fixture, heading, launch, visitor } from "./support.mjs";

const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const screenshots = fixture.screenshots;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A staff member signed in through `/masuk`, landed on their work list. */
async function signedIn(account, js) {
  const page = await visitor(browser, js);
  await page.goto("/masuk");
  await page.getByLabel("Email atau nomor telepon").fill(account.login);
  await page.getByLabel("Kata sandi").fill(account.password);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.waitForURL(/\/admin\/laporan/);
  return page;
}

const [first, second] = fixture.fresh ?? [];

for (const [js, tracking] of [[true, first], [false, second]]) {
  describe(`the console with JavaScript ${js ? "on" : "off"}`, () => {
    test("a report from verification to a reopened answer", async () => {
      const { national, adminA, officerA1 } = fixture.staff;

      // The national admin verifies it and disposes it to the province.
      const nat = await signedIn(national, js);
      assert.equal(await heading(nat), "Kelola Laporan – Nasional");
      await accessible(nat);
      await nat.getByRole("link", { name: /^Verifikasi: \d+/ }).click();
      await nat.getByRole("link", { name: new RegExp(`^#${tracking} `) }).click();
      await accessible(nat);
      await nat.getByRole("group", { name: "Keputusan verifikasi" }).getByLabel("Verifikasi").check();
      await nat.getByLabel("Disposisikan ke").selectOption({ label: fixture.agencies.a });
      await nat.getByRole("button", { name: "Simpan verifikasi" }).click();
      await nat.getByText(`Laporan didisposisikan ke ${fixture.agencies.a} oleh`).waitFor();

      // The province's admin disposes it to its unit: the select offers only its units.
      const admin = await signedIn(adminA, js);
      await admin.goto(`/admin/laporan/${tracking}`);
      const offered = await admin.getByLabel("Disposisikan ke").locator("option").allTextContents();
      assert.ok(offered.includes(fixture.agencies.a1), offered.join(", "));
      assert.ok(!offered.includes(fixture.agencies.b), "another ministry is no unit of A");
      await admin.getByLabel("Disposisikan ke").selectOption({ label: fixture.agencies.a1 });
      const disposition = admin.getByRole("region", { name: "Disposisi", exact: true });
      await disposition.getByLabel("Catatan").fill("Mohon ditindaklanjuti minggu ini.");
      await admin.getByRole("button", { name: "Disposisikan", exact: true }).click();
      await admin.getByText(`Laporan didisposisikan ke ${fixture.agencies.a1} oleh`).waitFor();

      // The unit's officer finds it waiting, answers it with a photo, and closes it.
      const officer = await signedIn(officerA1, js);
      await officer.getByRole("link", { name: /^Belum Ditindaklanjuti: \d+/ }).click();
      const row = officer.getByRole("link", { name: new RegExp(`^#${tracking} `) });
      await row.waitFor();
      await accessible(officer);
      if (js) {
        mkdirSync(screenshots, { recursive: true });
        await officer.screenshot({ path: `${screenshots}/worklist.png`, fullPage: true });
      }
      await row.click();
      const answer = `Lokasi sudah kami periksa ${js ? "(dengan JavaScript)" : "(tanpa JavaScript)"}.`;
      await officer.getByRole("textbox", { name: "Tindak lanjut", exact: true }).fill(answer);
      await officer.getByLabel("Lampiran").setInputFiles({ name: "lokasi.png", mimeType: "image/png", buffer: png });
      await officer.getByRole("button", { name: "KIRIM", exact: true }).click();
      await officer.getByText(answer).waitFor();
      await officer.getByRole("link", { name: "lokasi.png" }).waitFor();
      await accessible(officer);
      if (js) {
        await officer.screenshot({ path: `${screenshots}/report.png`, fullPage: true });
      }
      await officer.getByRole("button", { name: "TUTUP", exact: true }).click();
      await officer.getByText("Status: Selesai").waitFor();

      // From above, reopened.
      await admin.goto(`/admin/laporan/${tracking}`);
      await admin.getByLabel("Alasan membuka kembali").fill("Pelapor menyatakan belum selesai.");
      await admin.getByRole("button", { name: "Buka kembali" }).click();
      await admin.getByText("Status: Sedang Diproses").waitFor();

      for (const page of [nat, admin, officer]) {
        assert.deepEqual(page.problems, [], `problems on ${page.url()}`);
        await page.context().close();
      }
    });
  });
}
