package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var (
	white    = color.RGBA{255, 255, 255, 255}
	black    = color.RGBA{0, 0, 0, 255}
	grey     = color.RGBA{150, 150, 150, 255}
	vsExpert = color.RGBA{31, 119, 180, 255}
	vsOther  = color.RGBA{255, 127, 14, 255}
)

// The chart's layout, in pixels.
const (
	rowHeight = 26
	labelW    = 330
	plotW     = 520
)

// chartRow is one bar pair: lambda.yaml's figure over the expert's and
// over the other baseline's (the naive Dockerfile's, or for arm64 the expert
// Dockerfile's under QEMU), 0 when there is none.
type chartRow struct {
	label         string
	expert, other float64
}

// chart draws the main ratios as bars, with a line at 1.
func (r *results) chart(path string) error {
	var rows []chartRow
	for _, f := range functions {
		for _, s := range scenarios {
			rows = append(rows, chartRow{fmt.Sprintf("%s %s", f.name, s), r.scenarioRatio(f.name, s, lambdaYAML, expert), r.ratio(f.name, s, lambdaYAML, naive)})
		}
		if r.has(f.name, lambdaArm64, cold) {
			rows = append(rows, chartRow{f.name + " arm64 cold", 0, r.ratio(f.name, cold, lambdaArm64, expertArm64)})
		}
	}
	// One outlier (a fresh builder's checks against an expert build that
	// reads nothing) would squash every other bar: bars stop at maxScale,
	// and their labels give the figure.
	const maxScale = 4.0
	scale := 2.0
	for _, row := range rows {
		scale = min(max(scale, row.expert, row.other), maxScale)
	}
	top := 50
	img := image.NewRGBA(image.Rect(0, 0, labelW+plotW+80, top+len(rows)*rowHeight+40))
	draw.Draw(img, img.Bounds(), &image.Uniform{white}, image.Point{}, draw.Src)
	text(img, 10, 20, black, "lambda.yaml / expert Dockerfile (blue); / naive Dockerfile, or for arm64 / expert under QEMU (orange); below 1 is better")
	x := func(v float64) int { return labelW + int(min(v, scale)/scale*float64(plotW)) }
	ratio := func(v float64) string {
		if v == 0 {
			return "-" // not built
		}
		return fmt.Sprintf("%.2f", v)
	}
	for i, row := range rows {
		y := top + i*rowHeight
		text(img, 10, y+15, black, row.label)
		bar(img, labelW, y+3, x(row.expert), y+12, vsExpert)
		bar(img, labelW, y+13, x(row.other), y+22, vsOther)
		text(img, x(max(row.expert, row.other))+4, y+17, black, ratio(row.expert)+" / "+ratio(row.other))
	}
	bottom := top + len(rows)*rowHeight
	bar(img, x(1), top-5, x(1)+1, bottom, grey)
	text(img, x(1)-4, bottom+15, grey, "1")
	text(img, labelW+plotW-10, bottom+15, grey, fmt.Sprintf("%.1f", scale))
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer f.Close()
	return png.Encode(f, img)
}

func bar(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{c}, image.Point{}, draw.Src)
}

func text(img *image.RGBA, x, y int, c color.Color, s string) {
	d := &font.Drawer{Dst: img, Src: &image.Uniform{c}, Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
