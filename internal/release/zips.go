package release

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// checkZip checks that the zip for p holds exactly one file, the provider binary under the
// name Terraform and the Registry expect, executable where the platform needs it.
func checkZip(d *Dist, p Platform) error {
	name := ZipName(d.Version, p)
	r, err := zip.OpenReader(d.Path(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil // checkFiles reports it
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer r.Close()
	want := BinaryName(d.Version, p)
	if len(r.File) != 1 {
		names := make([]string, len(r.File))
		for i, f := range r.File {
			names[i] = f.Name
		}
		return fmt.Errorf("%s holds %d files (%s), want only %s", name, len(r.File), strings.Join(names, ", "), want)
	}
	f := r.File[0]
	switch {
	case f.Name != want:
		return fmt.Errorf("%s holds %s, want %s", name, f.Name, want)
	case !f.Mode().IsRegular():
		return fmt.Errorf("%s: %s is not a regular file (mode %s)", name, f.Name, f.Mode())
	case p.OS != "windows" && f.Mode().Perm()&0o111 == 0:
		return fmt.Errorf("%s: %s is not executable (mode %s)", name, f.Name, f.Mode())
	}
	return nil
}

// ExtractBinary writes the provider binary of platform p's zip into dir and returns its path.
func (d *Dist) ExtractBinary(p Platform, dir string) (string, error) {
	r, err := zip.OpenReader(d.Path(ZipName(d.Version, p)))
	if err != nil {
		return "", err
	}
	defer r.Close()
	want := BinaryName(d.Version, p)
	for _, f := range r.File {
		if f.Name == want {
			return extract(f, filepath.Join(dir, want))
		}
	}
	return "", fmt.Errorf("%s holds no %s", ZipName(d.Version, p), want)
}

func extract(f *zip.File, path string) (string, error) {
	in, err := f.Open()
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return "", err
	}
	return path, out.Close()
}
