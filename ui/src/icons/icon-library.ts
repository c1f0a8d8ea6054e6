import { setBasePath } from "@awesome.me/webawesome/dist/utilities/base-path.js";
import { registerIconLibrary } from "@awesome.me/webawesome/dist/components/icon/library.js";
// Font Awesome Free (CC BY 4.0) SVGs, emitted by Vite as same-origin files under /assets/.
import angleLeft from "@fortawesome/fontawesome-free/svgs/solid/angles-left.svg?url";
import angleRight from "@fortawesome/fontawesome-free/svgs/solid/angles-right.svg?url";
import arrowLeft from "@fortawesome/fontawesome-free/svgs/solid/arrow-left.svg?url";
import check from "@fortawesome/fontawesome-free/svgs/solid/check.svg?url";
import chevronDown from "@fortawesome/fontawesome-free/svgs/solid/chevron-down.svg?url";
import chevronLeft from "@fortawesome/fontawesome-free/svgs/solid/chevron-left.svg?url";
import chevronRight from "@fortawesome/fontawesome-free/svgs/solid/chevron-right.svg?url";
import circleCheck from "@fortawesome/fontawesome-free/svgs/solid/circle-check.svg?url";
import circleExclamation from "@fortawesome/fontawesome-free/svgs/solid/circle-exclamation.svg?url";
import circleInfo from "@fortawesome/fontawesome-free/svgs/solid/circle-info.svg?url";
import circleUser from "@fortawesome/fontawesome-free/svgs/solid/circle-user.svg?url";
import ellipsis from "@fortawesome/fontawesome-free/svgs/solid/ellipsis.svg?url";
import globe from "@fortawesome/fontawesome-free/svgs/solid/globe.svg?url";
import idCard from "@fortawesome/fontawesome-free/svgs/solid/id-card.svg?url";
import key from "@fortawesome/fontawesome-free/svgs/solid/key.svg?url";
import magnifyingGlass from "@fortawesome/fontawesome-free/svgs/solid/magnifying-glass.svg?url";
import rightFromBracket from "@fortawesome/fontawesome-free/svgs/solid/right-from-bracket.svg?url";
import toolbox from "@fortawesome/fontawesome-free/svgs/solid/toolbox.svg?url";
import triangleExclamation from "@fortawesome/fontawesome-free/svgs/solid/triangle-exclamation.svg?url";
import userCheck from "@fortawesome/fontawesome-free/svgs/solid/user-check.svg?url";
import userSlash from "@fortawesome/fontawesome-free/svgs/solid/user-slash.svg?url";
import usersGear from "@fortawesome/fontawesome-free/svgs/solid/users-gear.svg?url";
import xmark from "@fortawesome/fontawesome-free/svgs/solid/xmark.svg?url";
import arrowDown from "@fortawesome/fontawesome-free/svgs/solid/arrow-down.svg?url";
import arrowRight from "@fortawesome/fontawesome-free/svgs/solid/arrow-right.svg?url";
import arrowUp from "@fortawesome/fontawesome-free/svgs/solid/arrow-up.svg?url";
import bookOpen from "@fortawesome/fontawesome-free/svgs/solid/book-open.svg?url";
import circleStop from "@fortawesome/fontawesome-free/svgs/solid/circle-stop.svg?url";
import clockRotateLeft from "@fortawesome/fontawesome-free/svgs/solid/clock-rotate-left.svg?url";
import download from "@fortawesome/fontawesome-free/svgs/solid/download.svg?url";
import fileArrowUp from "@fortawesome/fontawesome-free/svgs/solid/file-arrow-up.svg?url";
import fileCsv from "@fortawesome/fontawesome-free/svgs/solid/file-csv.svg?url";
import fileExcel from "@fortawesome/fontawesome-free/svgs/solid/file-excel.svg?url";
import fileZipper from "@fortawesome/fontawesome-free/svgs/solid/file-zipper.svg?url";
import house from "@fortawesome/fontawesome-free/svgs/solid/house.svg?url";
import pen from "@fortawesome/fontawesome-free/svgs/solid/pen.svg?url";
import play from "@fortawesome/fontawesome-free/svgs/solid/play.svg?url";
import plus from "@fortawesome/fontawesome-free/svgs/solid/plus.svg?url";
import rotateRight from "@fortawesome/fontawesome-free/svgs/solid/rotate-right.svg?url";
import sliders from "@fortawesome/fontawesome-free/svgs/solid/sliders.svg?url";
import sort from "@fortawesome/fontawesome-free/svgs/solid/sort.svg?url";
import sortDown from "@fortawesome/fontawesome-free/svgs/solid/sort-down.svg?url";
import sortUp from "@fortawesome/fontawesome-free/svgs/solid/sort-up.svg?url";
import starSolid from "@fortawesome/fontawesome-free/svgs/solid/star.svg?url";
import tags from "@fortawesome/fontawesome-free/svgs/solid/tags.svg?url";
import file from "@fortawesome/fontawesome-free/svgs/regular/file.svg?url";
import starRegular from "@fortawesome/fontawesome-free/svgs/regular/star.svg?url";
import trashCan from "@fortawesome/fontawesome-free/svgs/regular/trash-can.svg?url";
import circleQuestion from "@fortawesome/fontawesome-free/svgs/regular/circle-question.svg?url";
import circleXmark from "@fortawesome/fontawesome-free/svgs/regular/circle-xmark.svg?url";
import copy from "@fortawesome/fontawesome-free/svgs/regular/copy.svg?url";
import eye from "@fortawesome/fontawesome-free/svgs/regular/eye.svg?url";
import eyeSlash from "@fortawesome/fontawesome-free/svgs/regular/eye-slash.svg?url";

/** Icons the app's own markup may name in `<wa-icon name="…">`. */
const APP_ICONS = {
  "arrow-down": arrowDown,
  "arrow-left": arrowLeft,
  "arrow-right": arrowRight,
  "arrow-up": arrowUp,
  "book-open": bookOpen,
  "circle-stop": circleStop,
  "clock-rotate-left": clockRotateLeft,
  download,
  file,
  "file-arrow-up": fileArrowUp,
  "file-csv": fileCsv,
  "file-excel": fileExcel,
  "file-zipper": fileZipper,
  house,
  pen,
  play,
  plus,
  "rotate-right": rotateRight,
  sliders,
  sort,
  "sort-down": sortDown,
  "sort-up": sortUp,
  star: starSolid,
  "star-outline": starRegular,
  tags,
  "trash-can": trashCan,
  xmark,
  "circle-check": circleCheck,
  "circle-exclamation": circleExclamation,
  "circle-info": circleInfo,
  "circle-user": circleUser,
  globe,
  "id-card": idCard,
  key,
  "magnifying-glass": magnifyingGlass,
  "right-from-bracket": rightFromBracket,
  toolbox,
  "triangle-exclamation": triangleExclamation,
  "user-check": userCheck,
  "user-slash": userSlash,
  "users-gear": usersGear,
} as const satisfies Record<string, string>;

export type AppIconName = keyof typeof APP_ICONS;

/**
 * Icons Web Awesome's components draw internally (`library="system"`): select caret, clear and
 * password-toggle buttons, dialog close, pagination arrows, copy button.
 */
const SYSTEM_ICONS: Record<string, string> = {
  "angles-left": angleLeft,
  "angles-right": angleRight,
  check,
  "chevron-down": chevronDown,
  "chevron-left": chevronLeft,
  "chevron-right": chevronRight,
  "circle-question": circleQuestion,
  "circle-xmark": circleXmark,
  copy,
  ellipsis,
  eye,
  "eye-slash": eyeSlash,
  xmark,
};

function useCurrentColor(svg: SVGElement): void {
  svg.setAttribute("fill", "currentColor");
  for (const path of svg.querySelectorAll("path")) path.setAttribute("fill", "currentColor");
}

/**
 * Points both Web Awesome icon libraries at files bundled with the app. The built-in ones would fetch
 * from the Font Awesome CDN ("default") or fetch() data: URLs ("system"), and the CSP
 * (`connect-src 'self'`, air-gapped sites) forbids both. Unknown names resolve to nothing: no request.
 */
export function registerLocalIcons(): void {
  // Only Web Awesome's autoloader (not used here) reads the base path; keep it same-origin anyway.
  setBasePath("/assets");
  registerIconLibrary("default", {
    resolver: (name) => (Object.hasOwn(APP_ICONS, name) ? APP_ICONS[name as AppIconName] : ""),
    mutator: useCurrentColor,
  });
  registerIconLibrary("system", {
    resolver: (name) => SYSTEM_ICONS[name] ?? circleQuestion,
    mutator: useCurrentColor,
  });
}
